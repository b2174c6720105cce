import { renderTreeAsync } from "../expr";
import type { Flow } from "../flow/model";
import type { Label } from "../plugin/types";
import { ChecksBlockedError, checkBehavior, type FailedCheck, failedChecks } from "./checks";
import { executionVariables } from "./context";
import { expressionOptions, type StepEnv } from "./env";
import { type InputError, type InputState, resolveInputValues } from "./inputs";
import type { Execution, ExecutionTrigger, LoopIterationRequest, TaskRun } from "./model";
import { ancestorsOf } from "./outputs";
import { isTerminal, newState, transition } from "./states";
import { ExecutionOperationError } from "./step-context";

/** Inputs that do not validate: no execution is created. Each error names the input and says why. */
export class InputValidationError extends Error {
  constructor(readonly errors: InputError[]) {
    super(errors.map((e) => `input '${e.input}': ${e.message}`).join("; "));
    this.name = "InputValidationError";
  }
}

export interface ExecutionRequest {
  inputs?: Record<string, unknown>;
  labels?: Label[];
  trigger?: ExecutionTrigger;
  scheduleDate?: string;
  parentId?: string;
  /** Set when the id was chosen beforehand (a subflow started by a parent). */
  id?: string;
  originalId?: string;
  tenantId?: string;
  attemptNumber?: number;
  /**
   * Decide the flow's `checks` (Kestra does for executions created through its API and UI, not for
   * triggers or subflows): a BLOCK_EXECUTION check that does not hold throws ChecksBlockedError, a
   * FAIL_EXECUTION one creates the execution to end FAILED without running a task.
   */
  enforceChecks?: boolean;
  /**
   * Kestra 2.0's Flow trigger: inputs that do not validate create an execution that ends FAILED at its start
   * (with no inputs, the reasons logged) instead of nothing.
   */
  failOnInvalidInputs?: boolean;
  /** Reasons the inputs are known to be invalid before they are read (they did not render): as above. */
  invalidInputs?: string[];
  /**
   * One iteration of a Loop (kind LOOP): `inputs` are the parent's, already validated, taken as they are;
   * no checks apply.
   */
  loop?: LoopIterationRequest;
}

export const CORRELATION_ID = "system.correlationId";

/**
 * An execution's labels (Kestra's Execution.newExecution): the flow's, without its system labels, then the
 * caller's; `system.correlationId` is the execution's own id unless the caller gave one (a parent's, a
 * triggering execution's, or `labels=system.correlationId:…`).
 */
function executionLabels(id: string, flow: Flow, request: ExecutionRequest): Label[] {
  const merged = new Map<string, string>();
  for (const label of flow.labels) if (!label.key.startsWith("system.")) merged.set(label.key, label.value);
  for (const label of request.labels ?? []) merged.set(label.key, label.value);
  if (!merged.has(CORRELATION_ID)) merged.set(CORRELATION_ID, id);
  return [...merged].map(([key, value]) => ({ key, value }));
}

/** Validates inputs and builds a new execution in state CREATED. Throws InputValidationError on bad inputs. */
export async function createExecution(
  flow: Flow,
  request: ExecutionRequest,
  env: StepEnv,
): Promise<Execution> {
  if (flow.disabled) throw new ExecutionOperationError(`flow ${flow.namespace}.${flow.id} is disabled`);
  const now = env.now().toISOString();
  const id = request.id ?? env.newId();
  const draft: Execution = {
    id,
    tenantId: request.tenantId,
    namespace: flow.namespace,
    flowId: flow.id,
    flowRevision: flow.revision,
    state: newState("CREATED", now),
    inputs: {},
    labels: executionLabels(id, flow, request),
    taskRunList: [],
    ...(request.trigger ? { trigger: request.trigger } : {}),
    ...(request.parentId ? { parentId: request.parentId } : {}),
    originalId: request.originalId ?? id,
    ...(request.scheduleDate ? { scheduleDate: request.scheduleDate } : {}),
    metadata: { attemptNumber: request.attemptNumber ?? 1, originalCreatedDate: now },
  };
  if (request.invalidInputs?.length) {
    draft.internal = { invalidInputs: request.invalidInputs };
    return draft;
  }
  if (request.loop) {
    draft.kind = "LOOP";
    draft.loopRun = request.loop.run;
    draft.inputs = structuredClone(request.inputs ?? {});
    if (request.loop.variables) draft.variables = structuredClone(request.loop.variables);
    draft.internal = {
      loopOutputs: structuredClone(request.loop.outputs),
      ...(request.loop.finally ? { loopFinally: true } : {}),
    };
    return draft;
  }
  const { values, errors } = await inputsOf(flow, draft, request, env);
  if (errors.length > 0 && request.failOnInvalidInputs) {
    draft.internal = { invalidInputs: errors.map((e) => `${e.input}: ${e.message}`) };
    return draft;
  }
  if (errors.length > 0) throw new InputValidationError(errors);
  draft.inputs = values;
  if (request.enforceChecks && flow.checks.length > 0) {
    const failed = await checksOf(flow, draft, values, env);
    const behavior = checkBehavior(failed);
    if (behavior === "BLOCK_EXECUTION") throw new ChecksBlockedError(failed);
    if (behavior === "FAIL_EXECUTION") draft.internal = { failedChecks: failed.map((c) => c.message) };
  }
  return draft;
}

function renderOptions(env: StepEnv) {
  return expressionOptions(env);
}

function inputsOf(flow: Flow, draft: Execution, request: ExecutionRequest, env: StepEnv) {
  const base = executionVariables(flow, draft, env);
  return resolveInputValues(
    flow.inputs,
    request.inputs ?? {},
    (template, inputs) => renderTreeAsync(template, { ...base, inputs }, renderOptions(env)),
    env.inputCipher,
  );
}

function checksOf(flow: Flow, draft: Execution, inputs: Record<string, unknown>, env: StepEnv) {
  return failedChecks(flow.checks, { ...executionVariables(flow, draft, env), inputs }, renderOptions(env));
}

export interface ExecutionValidation {
  inputs: InputState[];
  /** The flow's checks that do not hold with these inputs (none are decided while an input is invalid). */
  checks: FailedCheck[];
}

/**
 * What creating an execution with these inputs would make of each declared input (Kestra's
 * `/executions/{namespace}/{flowId}/validate`): shown or hidden by its dependsOn, its typed value, its errors.
 * The same resolution as createExecution; nothing is created.
 */
export async function validateExecutionInputs(
  flow: Flow,
  request: ExecutionRequest,
  env: StepEnv,
): Promise<ExecutionValidation> {
  const now = env.now().toISOString();
  const id = request.id ?? env.newId();
  const draft: Execution = {
    id,
    tenantId: request.tenantId,
    namespace: flow.namespace,
    flowId: flow.id,
    flowRevision: flow.revision,
    state: newState("CREATED", now),
    inputs: {},
    labels: executionLabels(id, flow, request),
    taskRunList: [],
    originalId: id,
    metadata: { attemptNumber: 1, originalCreatedDate: now },
  };
  const { states, values, errors } = await inputsOf(flow, draft, request, env);
  const checks =
    errors.length === 0 && flow.checks.length > 0 ? await checksOf(flow, draft, values, env) : [];
  return { inputs: states, checks };
}

/**
 * The replayed original's labels: Kestra's ExecutionController.innerReplay adds `system.replayed: true` to
 * the execution a replay was made from (once, however often it is replayed).
 */
export function withReplayedLabel(labels: readonly Label[]): Label[] {
  if (labels.some((l) => l.key === "system.replayed" && l.value === "true")) return [...labels];
  return [...labels.filter((l) => l.key !== "system.replayed"), { key: "system.replayed", value: "true" }];
}

/**
 * Replay from a task run (Kestra's replay, with the inputs optionally changed — Kestra #2197): a new execution
 * (new id, same originalId) that keeps what ran before that task run, re-runs it and everything after it.
 */
export async function replayExecution(
  flow: Flow,
  execution: Execution,
  taskRunId: string,
  env: StepEnv,
  options: { inputs?: Record<string, unknown> } = {},
): Promise<Execution> {
  if (!isTerminal(execution.state.current)) {
    throw new ExecutionOperationError(
      `cannot replay an execution that is ${execution.state.current}: wait for it to end or kill it`,
    );
  }
  const index = execution.taskRunList.findIndex((r) => r.id === taskRunId);
  const target = execution.taskRunList[index];
  if (!target)
    throw new ExecutionOperationError(
      `task run '${taskRunId}' is not part of execution ${execution.id}`,
      "NOT_FOUND",
    );
  const byId = new Map(execution.taskRunList.map((r) => [r.id, r]));
  const ancestors = new Set(ancestorsOf(target, byId).map((r) => r.id));

  const fresh = await createExecution(
    flow,
    {
      inputs: options.inputs ?? execution.inputs,
      // Kestra marks a replay with `system.replay`; the correlation id of the original is kept. The new
      // execution has not been replayed itself, whatever the original's `system.replayed` says.
      labels: [
        ...execution.labels.filter((l) => l.key !== "system.replay" && l.key !== "system.replayed"),
        { key: "system.replay", value: "true" },
      ],
      trigger: execution.trigger,
      scheduleDate: execution.scheduleDate,
      parentId: execution.parentId,
      originalId: execution.originalId,
      tenantId: execution.tenantId,
    },
    env,
  );
  if (!options.inputs) fresh.inputs = structuredClone(execution.inputs);
  const now = env.now().toISOString();
  const ids = new Map<string, string>();
  const kept: TaskRun[] = [];
  execution.taskRunList.forEach((run, position) => {
    const before = position < index && isTerminal(run.state.current);
    if (!before && !ancestors.has(run.id)) return;
    if (run.parentTaskRunId && !ids.has(run.parentTaskRunId)) return;
    const copy: TaskRun = structuredClone(run);
    copy.id = env.newId();
    copy.executionId = fresh.id;
    copy.parentTaskRunId = run.parentTaskRunId ? (ids.get(run.parentTaskRunId) ?? null) : null;
    if (ancestors.has(run.id)) transition(copy.state, "RUNNING", now);
    ids.set(run.id, copy.id);
    kept.push(copy);
  });
  fresh.taskRunList = kept;
  return fresh;
}
