import { z } from "zod";
import { inputSchema } from "../../flow/inputs-schema";
import type { Task } from "../../flow/model";
import { dyn, taskList } from "../../plugin/schema";
import { blockOf, sequentialBlock, sequentialList, withErrorsAndFinally } from "../blocks";
import type { FlowableContext, FlowableDecision, FlowableHandler } from "../flowable";
import type { TaskRun } from "../model";
import { timeoutMsOf } from "../runnable";
import { isFailure, isTerminal, type StateType } from "../states";
import { ExecutionOperationError } from "../step-context";
import { pausedInputValues } from "./paused-inputs";
import { branchShape } from "./sequential";

/** Kestra's Approval.Behavior: what the decided Approval does to its run, or to the whole execution. */
export const APPROVAL_BEHAVIORS = ["CONTINUE", "WARN", "FAIL", "SUCCEED", "CANCEL", "KILL"] as const;
/** Kestra's Approval.CommentRequired. */
export const COMMENT_REQUIRED = ["NEVER", "ALWAYS", "ON_DENY", "ON_APPROVE"] as const;
export type ApprovalDecisionType = "APPROVED" | "DENIED" | "EXPIRED";

const behavior = (what: string, fallback: (typeof APPROVAL_BEHAVIORS)[number]) =>
  dyn(z.enum(APPROVAL_BEHAVIORS))
    .default(fallback)
    .describe(
      `What happens ${what}: CONTINUE (the branch's own state), WARN, FAIL (the Approval ends WARNING or ` +
        "FAILED), or SUCCEED, CANCEL, KILL (the whole execution ends in that state; KILL also kills what " +
        "still runs). A branch that failed stays FAILED whatever the behavior.",
    );

export const approvalSchema = z.object({
  inputs: z
    .array(inputSchema)
    .optional()
    .describe(
      "Fields of the review dialog, in the shape of flow inputs; their values are outputs.<id>.inputs.",
    ),
  decisions: z
    .object({
      approve: dyn(z.string()).default("Approve").describe("The approve button's label."),
      deny: dyn(z.string()).default("Deny").describe("The deny button's label."),
    })
    .optional()
    .describe("Names of the two decisions on the review buttons (Continue and Stop, for instance)."),
  commentRequired: dyn(z.enum(COMMENT_REQUIRED))
    .default("NEVER")
    .describe("Whether the reviewer must comment: NEVER, ALWAYS, ON_DENY or ON_APPROVE."),
  autoApprove: dyn(z.boolean())
    .default(false)
    .describe(
      "Approve at once when true (rendered per execution): no onWait, no pause; outputs.auto is true.",
    ),
  approveBehavior: behavior("after onApprove has run", "CONTINUE"),
  denyBehavior: behavior("after onDeny has run", "CANCEL"),
  expireBehavior: behavior("when `timeout` elapses without a decision (after finally)", "CANCEL"),
  // Kestra's tasksTree draws wait, approve, deny in that order.
  onWait: taskList("Tasks run before the execution pauses for the review (a notification).").optional(),
  onApprove: taskList("Tasks run once approved.").optional(),
  onDeny: taskList("Tasks run once denied.").optional(),
  ...branchShape,
});
export type ApprovalProps = z.output<typeof approvalSchema>;

type Context = FlowableContext<ApprovalProps>;

/** The decision, kept in the run's outputs as Kestra's Approval.decisionType reads it. */
const decisionOf = (run: TaskRun): ApprovalDecisionType | undefined =>
  run.outputs?.decision as ApprovalDecisionType | undefined;

/**
 * Kestra's Approval (io.kestra.plugin.core.flow.Approval, a PausableTask): runs `onWait`, then pauses until a
 * reviewer approves or denies it (the `review` event), or its `timeout` elapses (EXPIRED); then runs
 * `onApprove` or `onDeny` (nothing when expired), its `errors` on a failure and its `finally`, and maps the
 * branch's end through `approveBehavior` / `denyBehavior` / `expireBehavior` as Approval.resolveState and
 * executionLevelOutcome do. The decision lives in the run's outputs, as Kestra's `decisionType` reads it.
 */
export const approval: FlowableHandler<ApprovalProps> = {
  start(ctx) {
    if (ctx.task.autoApprove) {
      // Approval.outputs with autoApprove: decided at creation, so onWait never runs and nothing pauses.
      ctx.setOutputs({ decision: "APPROVED", auto: true });
      ctx.step.log("INFO", "Approved automatically (autoApprove)", ctx.run);
    }
    return undefined;
  },
  resolve(ctx) {
    const decision = decisionOf(ctx.run);
    const block = blockOf(ctx);
    if (!decision) {
      // Approval.resolveWaitState: onWait first; a failure there ends the Approval through errors and finally.
      const wait = sequentialList(block, ctx.task.onWait ?? []);
      if (wait.state === undefined) return { create: wait.create };
      if (isFailure(wait.state)) return withErrorsAndFinally(block, wait, ctx.task.errors, ctx.task.finally);
      waitForReview(ctx);
      return {};
    }
    const tasks: readonly Task[] =
      decision === "APPROVED"
        ? (ctx.task.onApprove ?? [])
        : decision === "DENIED"
          ? (ctx.task.onDeny ?? [])
          : [];
    const branch = sequentialBlock(block, tasks, ctx.task.errors, ctx.task.finally);
    // A genuine failure in the branch is never hidden behind the behavior (Approval.applyBehavior).
    if (branch.state === undefined || isFailure(branch.state)) return branch;
    return applyBehavior(ctx, behaviorOf(ctx.task, decision), branch);
  },
  onTimer(ctx, kind) {
    if (kind !== "expire" || ctx.run.state.current !== "PAUSED") return;
    // ExecutionDelayProcessor decides EXPIRED for an Approval still paused at its due date.
    ctx.setOutputs({ ...(ctx.run.outputs ?? {}), decision: "EXPIRED", auto: false });
    ctx.step.log("WARN", `Approval expired after ${ctx.task.timeout} without a decision`, ctx.run);
    ctx.step.setState(ctx.run, "RUNNING");
  },
  // Approval.pauseDelay counts `timeout` from the pause, not from the start: the generic one is not the end.
  onTimeout: () => true,
  onResume(ctx) {
    throw new ExecutionOperationError(
      `'${ctx.run.taskId}' waits for a review: approve or deny it (POST /executions/{id}/actions/review) rather than resuming`,
    );
  },
  async onReview(ctx, review) {
    const required = ctx.task.commentRequired;
    const comment = review.comment?.trim() ? review.comment : undefined;
    const needsComment =
      required === "ALWAYS" ||
      (required === "ON_DENY" && review.decision === "DENIED") ||
      (required === "ON_APPROVE" && review.decision === "APPROVED");
    if (needsComment && !comment)
      throw new ExecutionOperationError(
        `a comment is required to ${review.decision === "APPROVED" ? "approve" : "deny"} '${ctx.run.taskId}' (commentRequired: ${required})`,
        "INVALID_INPUT",
      );
    const inputs = await reviewInputs(ctx, review.inputs ?? {});
    // Approval.resumeOutputs, over what the run already had (`due`), as Kestra merges them.
    ctx.setOutputs({
      ...(ctx.run.outputs ?? {}),
      decision: review.decision,
      auto: false,
      ...(review.by ? { by: review.by } : {}),
      on: ctx.step.now(),
      ...(comment ? { comment } : {}),
      inputs,
    });
    ctx.step.cancelTimers(`${ctx.run.id}:expire`);
    ctx.step.log(
      "INFO",
      `${review.decision === "APPROVED" ? "Approved" : "Denied"}${review.by ? ` by ${review.by}` : ""}${comment ? `: ${comment}` : ""}`,
      ctx.run,
    );
    ctx.step.setState(ctx.run, "RUNNING");
  },
};

/** onWait is done: the run pauses, and its `timeout` (if any) counts from now (Approval.pauseDelay). */
function waitForReview(ctx: Context): void {
  const timeoutMs = timeoutMsOf(ctx.run, ctx.task);
  ctx.step.setState(ctx.run, "PAUSED");
  if (timeoutMs !== undefined) {
    const due = ctx.step.nowMs() + timeoutMs;
    ctx.startTimer("expire", due);
    ctx.setOutputs({ ...(ctx.run.outputs ?? {}), due: new Date(due).toISOString() });
  }
  ctx.step.log("INFO", "Waiting for a review: approve or deny", ctx.run);
}

function behaviorOf(task: ApprovalProps, decision: ApprovalDecisionType) {
  if (decision === "APPROVED") return task.approveBehavior;
  if (decision === "DENIED") return task.denyBehavior;
  return task.expireBehavior;
}

/** Kestra's Approval.applyBehavior on the run, and executionLevelOutcome for SUCCEED, CANCEL and KILL. */
function applyBehavior(
  ctx: Context,
  behavior: (typeof APPROVAL_BEHAVIORS)[number],
  branch: FlowableDecision,
): FlowableDecision {
  switch (behavior) {
    case "CONTINUE":
      return branch;
    case "WARN":
      return { state: "WARNING" };
    case "FAIL":
      return { state: "FAILED" };
    default: {
      const state: StateType =
        behavior === "SUCCEED" ? "SUCCESS" : behavior === "CANCEL" ? "CANCELLED" : "KILLED";
      // As Pause's CANCEL (Exit's rule): nothing new starts, what still runs ends, afterExecution runs.
      const others =
        behavior === "KILL" ? ctx.step.execution.taskRunList.filter((r) => !isTerminal(r.state.current)) : [];
      ctx.step.log("INFO", `${behavior}: the execution ends ${state}`, ctx.run);
      ctx.step.exit(ctx.run, state, { afterExecution: true });
      // KILL: what still runs elsewhere is killed at once (ApprovalTest.shouldKillRunningSiblingsWhenDenyBehaviorIsKill).
      const victims = others.filter((r) => !isTerminal(r.state.current));
      return victims.length > 0 ? { kill: victims } : {};
    }
  }
}

async function reviewInputs(ctx: Context, provided: Record<string, unknown>) {
  if (!ctx.task.inputs?.length) return {};
  return pausedInputValues(ctx, ctx.task.inputs, provided, "review");
}
