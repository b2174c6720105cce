export { type CommandSink, dispatchCommand, dispatchCommands } from "./commands";
export { executionEnded } from "./ended";
export { mergeSubflowOutputs } from "./merge-outputs";
export type { CreateOptions, DriverPorts, ExecutionPort, FlowPort, ParentLink } from "./ports";
export { retryExecution } from "./retry";
export { splitItems } from "./split";
export { killExecution, restartSubflow, startSubflow, subflowEndedEvent } from "./subflows";
