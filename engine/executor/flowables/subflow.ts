import { z } from "zod";
import { normaliseLabels } from "../../flow/model";
import { dyn, isExpression, labels as labelsSchema } from "../../plugin/schema";
import type { Label, ValidationContext } from "../../plugin/types";
import type { StartSubflowCommand, SubflowEndedEvent } from "../events";
import type { FlowableContext, FlowableHandler } from "../flowable";
import { nextRetryAt } from "../retry-delay";
import { retryPolicyOf } from "../runnable";
import { isFailure, isTerminal, newState, type StateType, transition } from "../states";

const subflowTarget = {
  namespace: z.string().describe("Namespace of the flow to run."),
  flowId: z.string().describe("Id of the flow to run."),
  revision: dyn(z.number().int().min(1)).optional().describe("Revision to run (the latest by default)."),
  inputs: z.record(z.string(), z.unknown()).optional().describe("Inputs of the subflow (rendered)."),
  labels: labelsSchema.optional().describe("Labels added to the subflow execution."),
  wait: dyn(z.boolean()).default(true).describe("Wait for the subflow to end before going on."),
  transmitFailed: dyn(z.boolean())
    .default(true)
    .describe("Fail this task when the subflow fails (needs wait)."),
  inheritLabels: dyn(z.boolean()).default(false).describe("Copy this execution's labels onto the subflow's."),
  scheduleDate: z.string().optional().describe("Start the subflow at this date instead of now."),
};

const subflowTargetSchema = z.object(subflowTarget);
type SubflowTargetProps = z.output<typeof subflowTargetSchema>;

export const subflowSchema = z.object({
  ...subflowTarget,
  outputs: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Deprecated: outputs extracted from the subflow's tasks; use the subflow's flow outputs."),
  restartBehavior: z
    .enum(["RETRY_FAILED", "NEW_EXECUTION"])
    .default("RETRY_FAILED")
    .describe(
      "When this execution is restarted after the subflow failed: restart the failed subflow execution in place (RETRY_FAILED) or start a new one (NEW_EXECUTION).",
    ),
});
export type SubflowProps = z.output<typeof subflowSchema>;

/** A Subflow (or ForEachItem) may not start its own flow: that would recurse forever. */
export function validateNotRecursive(
  properties: { namespace: string; flowId: string },
  context: ValidationContext,
): void {
  const { flow } = context;
  if (isExpression(properties.namespace) || isExpression(properties.flowId)) return;
  if (flow.namespace === properties.namespace && flow.id === properties.flowId) {
    context.error(
      ["flowId"],
      `recursive call to flow '${flow.namespace}.${flow.id}': a flow cannot start itself as a subflow`,
    );
  }
}

/** The state a subflow task takes from its child's final state. */
export function stateFromChild(child: StateType, transmitFailed: boolean): StateType {
  if (isFailure(child) || child === "CANCELLED") return transmitFailed ? "FAILED" : "SUCCESS";
  return child === "WARNING" ? "WARNING" : "SUCCESS";
}

/** Builds the command that starts one child execution, rendering inputs, labels and correlation. */
export async function subflowCommand(
  ctx: FlowableContext<SubflowTargetProps>,
  extra?: { iteration?: number; variables?: Record<string, unknown> },
): Promise<StartSubflowCommand> {
  const { step, task, run } = ctx;
  const render = (value: unknown) =>
    extra?.variables ? step.renderWith(extra.variables, value) : ctx.render(value);
  const inputs = ((await render(task.inputs ?? {})) ?? {}) as Record<string, unknown>;
  const own = normaliseLabels(await render(task.labels ?? []));
  const execution = step.execution;
  const inherited: Label[] = task.inheritLabels
    ? execution.labels.filter((l) => !l.key.startsWith("system."))
    : [];
  const correlation = execution.labels.find((l) => l.key === "system.correlationId")?.value ?? execution.id;
  const merged = new Map<string, string>();
  for (const label of [...inherited, ...own]) merged.set(label.key, label.value);
  merged.set("system.correlationId", correlation);
  return {
    type: "startSubflow",
    taskRunId: run.id,
    ...(extra?.iteration !== undefined ? { iteration: extra.iteration } : {}),
    executionId: step.env.newId(),
    namespace: String(await render(task.namespace)),
    flowId: String(await render(task.flowId)),
    ...(task.revision ? { revision: task.revision } : {}),
    inputs,
    labels: [...merged].map(([key, value]) => ({ key, value })),
    wait: task.wait,
    ...(task.scheduleDate ? { scheduleDate: String(await render(task.scheduleDate)) } : {}),
    trigger: {
      id: task.id,
      type: task.type,
      variables: {
        executionId: execution.id,
        namespace: execution.namespace,
        flowId: execution.flowId,
        flowRevision: execution.flowRevision,
      },
    },
    parentId: execution.id,
  };
}

interface SubflowState {
  executionId?: string;
  result?: SubflowEndedEvent;
  /** Started with StepEnv.subflowAttempts: an attempt per child, and `retry` starts a new child. */
  attempts?: boolean;
  /** What the run kept before the execution was restarted. */
  previous?: SubflowState;
}

/** Child states a restart of the child execution can start from (as Kestra's restart accepts). */
const CHILD_RESTARTABLE = new Set<StateType>(["FAILED", "KILLED", "CANCELLED"]);

/** A child starts: with attempts on, the run takes a new attempt for it (SUCCESS at once when not waited for). */
function openAttempt(ctx: FlowableContext<SubflowProps>, wait: boolean): void {
  if (!ctx.internal<SubflowState>().attempts) return;
  const now = ctx.step.now();
  const attempt = { state: newState("RUNNING", now) };
  ctx.run.attempts.push(attempt);
  if (!wait) transition(attempt.state, "SUCCESS", now);
}

/** Starts a child execution for the run's current attempt (the first, or a retry). */
async function startChild(ctx: FlowableContext<SubflowProps>): Promise<void> {
  // The attempt goes first: `taskrun.attemptsCount` in the inputs counts the attempts before this one
  // (Kestra's RunContext: the attempts the run holds, which its Subflow adds as each child ends).
  openAttempt(ctx, ctx.task.wait);
  const command = await subflowCommand(ctx);
  ctx.step.command(command);
  ctx.internal<SubflowState>().executionId = command.executionId;
  ctx.setOutputs({ executionId: command.executionId });
}

/** Timer kind of a Subflow's next attempt (not "retry", which the executor takes as a runnable's). */
const RETRY_TIMER = "subflowRetry";

/**
 * A failed child, and the run's retry policy allows another attempt (Kestra's ExecutorService.handleRetryTask:
 * the task run goes RETRYING and a RESTART_FAILED_TASK delay sets it CREATED again, so Subflow creates a new
 * child execution). Returns true when a new attempt is scheduled.
 */
function scheduleRetry(ctx: FlowableContext<SubflowProps>, error: string): boolean {
  const { step, run } = ctx;
  if (!ctx.internal<SubflowState>().attempts || step.execution.state.current === "KILLING") return false;
  const { policy, flowLevel } = retryPolicyOf(step, ctx.task, run);
  if (!policy) return false;
  const first = run.attempts[0];
  const firstStart = first ? Date.parse(first.state.startDate) : step.nowMs();
  const at = nextRetryAt(policy, run.attempts.length, firstStart, step.nowMs(), () => step.env.random());
  if (at === undefined) return false;
  step.setState(run, "RETRYING");
  if (flowLevel) step.setExecutionState("RETRYING");
  ctx.startTimer(RETRY_TIMER, at);
  step.log(
    "WARN",
    `Attempt ${run.attempts.length} failed: ${error}; retrying at ${new Date(at).toISOString()}`,
    run,
  );
  return true;
}

export const subflow: FlowableHandler<SubflowProps> = {
  async start(ctx) {
    const state = ctx.internal<SubflowState>();
    const before = state.previous?.result;
    delete state.previous;
    if (ctx.step.env.subflowAttempts) state.attempts = true;
    else delete state.attempts;
    // restartBehavior RETRY_FAILED: the parent's restart restarts the failed child in place (its failed
    // tasks only) instead of starting a new child from scratch.
    if (
      ctx.task.restartBehavior === "RETRY_FAILED" &&
      ctx.task.wait &&
      before?.executionId &&
      !before.error &&
      CHILD_RESTARTABLE.has(before.state)
    ) {
      openAttempt(ctx, true);
      ctx.step.command({ type: "restartSubflow", taskRunId: ctx.run.id, executionId: before.executionId });
      state.executionId = before.executionId;
      ctx.setOutputs({ executionId: before.executionId });
      return undefined;
    }
    await startChild(ctx);
    return ctx.task.wait ? undefined : { state: "SUCCESS" };
  },
  onSubflowEnded(ctx, event) {
    const state = ctx.internal<SubflowState>();
    // A child of an earlier attempt cannot end again; only the current one is taken.
    if (state.attempts && state.executionId && event.executionId !== state.executionId) return;
    state.result = event;
    const attempt = ctx.run.attempts[ctx.run.attempts.length - 1];
    if (state.attempts && attempt && !isTerminal(attempt.state.current)) {
      transition(attempt.state, event.error ? "FAILED" : event.state, ctx.step.now());
      if (event.error) attempt.error = { message: event.error };
    }
  },
  async onTimer(ctx, kind) {
    if (kind !== RETRY_TIMER || ctx.run.state.current !== "RETRYING") return;
    if (isTerminal(ctx.step.execution.state.current)) return;
    const state = ctx.internal<SubflowState>();
    delete state.result;
    ctx.step.setState(ctx.run, "RUNNING");
    if (ctx.step.execution.state.current === "RETRYING") ctx.step.setExecutionState("RUNNING");
    await startChild(ctx);
  },
  onKill(ctx) {
    const state = ctx.internal<SubflowState>();
    // Waiting for its next attempt (RETRYING), the run has no child running: the last one has ended.
    if (state.executionId && !(state.attempts && state.result))
      ctx.step.command({ type: "killExecution", executionId: state.executionId });
    const attempt = ctx.run.attempts[ctx.run.attempts.length - 1];
    if (attempt && !isTerminal(attempt.state.current)) transition(attempt.state, "KILLED", ctx.step.now());
  },
  unwaitedChildren(ctx) {
    const { executionId } = ctx.internal<SubflowState>();
    return !ctx.task.wait && executionId ? [executionId] : [];
  },
  async resolve(ctx) {
    const result = ctx.internal<SubflowState>().result;
    if (!result) return {};
    if (result.error) {
      if (scheduleRetry(ctx, result.error)) return {};
      return { state: "FAILED", error: result.error };
    }
    const outputs: Record<string, unknown> = { executionId: result.executionId, state: result.state };
    if (result.outputs && Object.keys(result.outputs).length > 0) outputs.outputs = result.outputs;
    else if (ctx.task.outputs) {
      // Deprecated Subflow.outputs, rendered over the child's task outputs. A key that cannot be rendered is
      // left out with a warning rather than failing a subflow that succeeded.
      const extracted: Record<string, unknown> = {};
      for (const [key, template] of Object.entries(ctx.task.outputs)) {
        try {
          extracted[key] = await ctx.step.renderWith({ outputs: result.taskOutputs ?? {} }, template);
        } catch (error) {
          ctx.step.log(
            "WARN",
            `Failed to extract subflow output '${key}': ${(error as Error).message}`,
            ctx.run,
          );
        }
      }
      outputs.outputs = extracted;
    }
    ctx.setOutputs(outputs);
    const state = stateFromChild(result.state, ctx.task.transmitFailed);
    if (state === "FAILED") {
      const error = `Subflow execution ${result.executionId} (${result.state}) ended in ${result.state} state`;
      if (scheduleRetry(ctx, error)) return {};
      return { state, error };
    }
    return { state };
  },
};

export { subflowTarget };
