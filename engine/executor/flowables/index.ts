/*
 * How the executor interprets each flowable: the plugins in plugins/core/flow put these handlers in their
 * definitions (`kind: "flowable", handler`), beside their schemas and docs; the executor reads the handler
 * off the registered plugin, so there is no second table keyed by type name.
 */
export {
  APPROVAL_BEHAVIORS,
  type ApprovalDecisionType,
  approval as approvalHandler,
  approvalSchema,
  COMMENT_REQUIRED,
} from "./approval";
export { dag as dagHandler, dagSchema, validateDag } from "./dag";
export {
  eachParallel as eachParallelHandler,
  eachParallelSchema,
  eachSequential as eachSequentialHandler,
  eachSequentialSchema,
  forEach as forEachHandler,
  forEachSchema,
} from "./for-each";
export { forEachItem as forEachItemHandler, forEachItemSchema } from "./for-each-item";
export { ifHandler, ifSchema } from "./if";
export { loop as loopHandler, loopSchema } from "./loop";
export { loopUntil as loopUntilHandler, loopUntilSchema } from "./loop-until";
export { parallel as parallelHandler, parallelSchema } from "./parallel";
export { pause as pauseHandler, pauseSchema } from "./pause";
export {
  allowFailure as allowFailureHandler,
  allowFailureSchema,
  sequential as sequentialHandler,
  sequentialSchema,
  workingDirectory as workingDirectoryHandler,
  workingDirectorySchema,
} from "./sequential";
export { sleep as sleepHandler, sleepSchema } from "./sleep";
export { subflow as subflowHandler, subflowSchema, validateNotRecursive } from "./subflow";
export { switchHandler, switchSchema } from "./switch";
