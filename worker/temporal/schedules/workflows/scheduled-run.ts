import {
  condition,
  continueAsNew,
  defineSignal,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  uuid4,
  workflowInfo,
} from "@temporalio/workflow";
import { base62Id, type ExecutionWorkflowInput, taskQueueOf, WORKFLOW_TYPE, workflowIdOf } from "../../names";
import { type ScheduledRunActivities, type ScheduledRunInput, WAKE_SIGNAL } from "../names";

const { prepareScheduledRun } = proxyActivities<ScheduledRunActivities>({
  startToCloseTimeout: "1 minute",
  retry: { maximumInterval: "30 seconds" },
});

const wake = defineSignal(WAKE_SIGNAL);
/** A paused backfill's run asks again this often even without a wake signal (a lost signal costs a minute). */
const PAUSED_RECHECK = "1 minute";
/** Waits before the history is renewed (continueAsNew): a backfill may stay paused for weeks. */
const MAX_WAITS = 500;

/**
 * The schedule time this run is for: Temporal sets `TemporalScheduledStartTime` on a Schedule's (and a
 * backfill's) runs, and appends the same time to the workflow id.
 */
function scheduledTimeOf(input: ScheduledRunInput): string {
  if (input.scheduledTime) return input.scheduledTime;
  const attribute = workflowInfo().searchAttributes?.TemporalScheduledStartTime?.[0];
  if (attribute) return new Date(attribute as string | Date).toISOString();
  const suffix = /-(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$/.exec(workflowInfo().workflowId)?.[1];
  if (suffix) return new Date(suffix).toISOString();
  return new Date(workflowInfo().startTime).toISOString();
}

/**
 * A Temporal Schedule's action for one Schedule trigger: asks Cadenza (an activity) whether this schedule
 * time runs and, if so, to create its execution with `trigger.date/next/previous` (conditions and `when`
 * are the engine's, the row is stored by the same service as every Temporal start), then runs it as the
 * `cadenzaExecution` workflow on the tenant's queue. A locked trigger's run holds the Schedule until its
 * execution ends (Kestra's trigger lock, with the Schedule's BUFFER_ALL overlap).
 */
export async function cadenzaScheduledRun(input: ScheduledRunInput): Promise<string | undefined> {
  let woken = false;
  setHandler(wake, () => {
    woken = true;
  });
  const scheduledTime = scheduledTimeOf(input);
  const executionId = base62Id(uuid4());
  const startedAt = input.startedAt ?? new Date(workflowInfo().runStartTime).toISOString();
  let prepared = await prepareScheduledRun({ ...input, scheduledTime, startedAt, executionId });
  for (let waits = 0; prepared.status === "paused"; waits++) {
    if (waits >= MAX_WAITS)
      await continueAsNew<typeof cadenzaScheduledRun>({ ...input, scheduledTime, startedAt });
    woken = false;
    await condition(() => woken, PAUSED_RECHECK);
    prepared = await prepareScheduledRun({ ...input, scheduledTime, startedAt, executionId });
  }
  if (prepared.status !== "created") return undefined;
  const { tenantId } = input;
  const run: ExecutionWorkflowInput = { tenantId, executionId, event: { type: "start" } };
  const child = await startChild(WORKFLOW_TYPE, {
    workflowId: workflowIdOf(tenantId, executionId),
    taskQueue: taskQueueOf(tenantId),
    args: [run],
    // The execution outlives this run: an unlock, or the Schedule's deletion, must not end it.
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
  if (prepared.hold) {
    woken = false;
    await Promise.race([child.result().catch(() => undefined), condition(() => woken)]);
  }
  return executionId;
}
