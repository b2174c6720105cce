export {
  EngineClient,
  type ExecutionRunner,
  embeddedRunner,
  FlowNotFoundError,
  type WebhookRequest,
  type WebhookResult,
} from "./api";
export { applyEvent, createAndStart, ExecutionNotFoundError } from "./apply";
export type { EngineContext } from "./context";
export { type ContextOptions, createEngineContext } from "./create-context";
export { isDatabaseUnavailable } from "./database-unavailable";
export { createPool, type Db, type Queryable, withTransaction } from "./db";
export { StoredFlowError } from "./flow-store";
export { deleteFlow, type SavedFlow, saveFlowRevision } from "./flows-admin";
export { DEFAULT_HEARTBEAT_MS, DEFAULT_STALE_AFTER_MS } from "./liveness";
export { MASK, type Masker, MaskUnavailableError, maskerFor, maskValue, secretForms } from "./mask";
export { purgeOlderThan } from "./purge";
export { type EngineRuntimeOptions, prepareQueue, type RunningEngine, startEngineRuntime } from "./runtime";
export { type Backfill, runBackfills, runDueSchedules } from "./scheduler";
