export type { CommonTask } from "./common";
export {
  commonTaskSchema,
  commonTriggerShape,
  FLOW_ID,
  NAMESPACE,
  STATES,
  stateSchema,
  TASK_ID,
} from "./common";
export { pluginMarkdown, pluginPageName } from "./docs";
export { type FlowError, FlowValidationError, formatPath, type PathSegment } from "./errors";
export { flowSchema, type PluginDefault, pluginDefaultSchema, type Sla, triggerRef } from "./flow-schema";
export { coerceInputValue, formatInstant } from "./input-values";
export {
  type FlowOutput,
  flowOutputSchema,
  INPUT_TYPES,
  type Input,
  type InputType,
  inputSchema,
} from "./inputs-schema";
export { flowJsonSchema } from "./json-schema";
export { type FlowLoad, fullSchemaOf, type LoadOptions, loadFlow, loadFlows } from "./load";
export {
  type Condition,
  type Flow,
  type FlowCheck,
  normaliseLabels,
  type Task,
  type TaskLocation,
  type Trigger,
} from "./model";
export { applyPluginDefaults, deepMerge } from "./plugin-defaults";
export { maxAttemptsOf, type Retry, retrySchema } from "./retry";
export { FlowSource, parseYamlDocuments } from "./source";
export { findCycle } from "./validate";
export { childTaskLists, forEachTask, indexTasks } from "./walk";
