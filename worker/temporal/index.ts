export { createStoredExecution, createTemporalActivities } from "./activities";
export { TemporalEngineClient } from "./client";
export { clientConnection, type TemporalConnectionOptions, waitForTemporal } from "./connection";
export { taskQueueOf, workflowIdOf } from "./names";
export { temporalDriverPorts } from "./ports";
export { temporalRunner } from "./runner";
export { operateRun, startRun } from "./runs";
export * as temporalSchedules from "./schedules";
export {
  type RunningTemporalWorker,
  startTemporalWorker,
  type TemporalWorkerOptions,
  workflowBundle,
} from "./worker";
