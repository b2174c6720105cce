/**
 * What the Schedule sync, the scheduled-run workflow, its activities and the backfill controls agree on.
 * Pure: the workflow bundle imports it.
 */
export const SCHEDULED_RUN_WORKFLOW = "cadenzaScheduledRun";
/** Wakes a scheduled run that waits on a paused backfill (resume, cancel) or on the trigger lock (unlock). */
export const WAKE_SIGNAL = "cadenzaScheduleWake";

export interface TriggerRef {
  namespace: string;
  flowId: string;
  triggerId: string;
}

/**
 * One Temporal Schedule per Schedule trigger; its id carries tenant, namespace, flow and trigger, so
 * Temporal's UI shows whose it is, and two tenants never share one.
 */
export const scheduleIdOf = (tenantId: string, ref: TriggerRef) =>
  `cadenza/${tenantId}/${ref.namespace}/${ref.flowId}/${ref.triggerId}`;

/**
 * The scheduled runs' own task queue per tenant: their worker holds only the small scheduled-run workflow,
 * so it never competes with (nor needs the bundle of) the execution workers.
 */
export const scheduleTaskQueueOf = (tenantId: string) => `cadenza-schedules-${tenantId}`;

/** The schedule's action: one run per schedule time (or backfill time) of one trigger. */
export interface ScheduledRunInput extends TriggerRef {
  tenantId: string;
  /** Set when the run continues as new while it waits: the schedule time it is about. */
  scheduledTime?: string;
  /** Likewise: when the first run started (a backfill's run of a future time starts before it). */
  startedAt?: string;
}

/** What the `prepareScheduledRun` activity decided for one schedule time. */
export type PreparedRun =
  /** An execution was created (stored, not yet started); `hold`: wait for its end (Kestra's trigger lock). */
  | { status: "created"; executionId: string; hold: boolean }
  /** A backfill time of a paused backfill: ask again once resumed (or cancelled). */
  | { status: "paused" }
  /** Nothing to run: conditions false, not a cron time, late, missed, disabled, cancelled backfill... */
  | { status: "skipped"; reason: string };

export interface ScheduledRunActivities {
  prepareScheduledRun(
    input: ScheduledRunInput & { scheduledTime: string; startedAt: string; executionId: string },
  ): Promise<PreparedRun>;
}
