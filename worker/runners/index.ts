export { buildEnvironment, SYSTEM_PATH } from "./environment";
export { LocalProcessRunner, type LocalProcessRunnerOptions } from "./process-runner";
export { type ProtocolMessage, parseLine } from "./protocol";
export {
  ISOLATION_HINT,
  NETWORK_HINT,
  type SandboxSettings,
  type ScriptNetwork,
  sandboxArgs,
} from "./sandbox";
export { type SpawnOptions, type SpawnResult, spawnProcess } from "./spawn";
export { DEFAULT_UID_RANGE, killProcessesOf, parseUidRange, UidPool, type UidRange } from "./uid-pool";
export { checkReachable, type RunAs, resolveRunAs } from "./user";
export { LocalWorkspace, resolveInside } from "./workspace";
