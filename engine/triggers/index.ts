export { allConditionsHold, type ConditionScope, testConditions } from "./conditions";
export {
  type Dependency,
  type DependsOn,
  type DependsOnResult,
  type DependsOnWindow,
  dependencyKey,
  dependsOnWindowAt,
  meetsDependency,
  recordDependsOn,
} from "./depends-on";
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
