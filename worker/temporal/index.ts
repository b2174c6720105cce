export { createStoredExecution, createTemporalActivities, type EndedPort } from "./activities";
export { TemporalEngineClient } from "./client";
export { temporalEnded } from "./ended";
export { taskQueueOf, workflowIdOf } from "./names";
export * as temporalSchedules from "./schedules";
export {
  type RunningTemporalWorker,
  startTemporalWorker,
  type TemporalWorkerOptions,
  workflowBundle,
} from "./worker";
