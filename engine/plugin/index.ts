export { coerceToSchema } from "./coerce";
export { definePlugin, kestraName } from "./define-plugin";
export { PluginRegistry } from "./registry";
export {
  conditionList,
  conditionRef,
  duration,
  dyn,
  expression,
  isExpression,
  LOG_LEVELS,
  labels,
  logLevel,
  slotKind,
  taskList,
  taskRef,
  unwrap,
} from "./schema";
export type {
  ConditionContext,
  FileStorage,
  KvStore,
  Label,
  LogLevel,
  Metric,
  Plugin,
  PluginDefinition,
  PluginExample,
  PluginKind,
  TaskLogger,
  TaskOutcome,
  TaskRunContext,
  TaskServices,
  TriggeringExecution,
  ValidationContext,
} from "./types";
