export { allConditionsHold, type ConditionScope, testConditions } from "./conditions";
export {
  type FlowTriggerEnv,
  type FlowTriggerMatch,
  matchFlowTriggers,
  triggeringExecution,
} from "./flow-triggers";
export {
  MemoryPreconditionStore,
  type PreconditionState,
  type PreconditionStore,
  type Preconditions,
  recordPreconditions,
  windowAt,
} from "./preconditions";
