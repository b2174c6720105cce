export { buildEnvironment, SYSTEM_PATH } from "./environment";
export { LocalProcessRunner, type LocalProcessRunnerOptions } from "./process-runner";
export { type ProtocolMessage, parseLine } from "./protocol";
export { type SpawnOptions, type SpawnResult, spawnProcess } from "./spawn";
export { checkReachable, type RunAs, resolveRunAs } from "./user";
export { LocalWorkspace, resolveInside } from "./workspace";
