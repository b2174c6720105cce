export { createScheduledRunActivities } from "./activities";
export { controlTemporalBackfill, startTemporalBackfill, temporalBackfill } from "./backfill";
export type { TemporalBackfill } from "./backfill-record";
export {
  SCHEDULED_RUN_WORKFLOW,
  type ScheduledRunInput,
  scheduleIdOf,
  scheduleTaskQueueOf,
  type TriggerRef,
} from "./names";
export { type TemporalScheduleService, temporalScheduleService } from "./service";
export { catchupWindowMs, overlapPolicy, scheduleSpec, temporalCron } from "./spec";
export {
  type FlowRef,
  type ScheduleSyncResult,
  scheduleOptions,
  syncFlowSchedules,
  syncTenantSchedules,
} from "./sync";
export { unlockTemporalTrigger } from "./unlock";
export {
  type RunningScheduleWorker,
  type ScheduleWorkerOptions,
  scheduledRunBundle,
  startScheduleWorker,
} from "./worker";
