import type { FlowableHandler } from "../flowable";
import { dag } from "./dag";
import { eachParallel, eachSequential, forEach } from "./for-each";
import { forEachItem } from "./for-each-item";
import { ifHandler } from "./if";
import { loop } from "./loop";
import { loopUntil } from "./loop-until";
import { parallel } from "./parallel";
import { pause } from "./pause";
import { allowFailure, sequential, workingDirectory } from "./sequential";
import { sleep } from "./sleep";
import { subflow } from "./subflow";
import { switchHandler } from "./switch";

export { dagSchema, validateDag } from "./dag";
export { eachParallelSchema, eachSequentialSchema, forEachSchema } from "./for-each";
export { forEachItemSchema } from "./for-each-item";
export { ifSchema } from "./if";
export { loopSchema } from "./loop";
export { loopUntilSchema } from "./loop-until";
export { parallelSchema } from "./parallel";
export { pauseSchema } from "./pause";
export { allowFailureSchema, sequentialSchema, workingDirectorySchema } from "./sequential";
export { sleepSchema } from "./sleep";
export { subflowSchema, validateNotRecursive } from "./subflow";
export { switchSchema } from "./switch";

/**
 * How the executor interprets each flowable type, by canonical plugin type. The plugins in
 * plugins/core/flow declare these types with their schemas and docs; the semantics live here.
 */
export const flowableHandlers: Record<string, FlowableHandler<never>> = {
  "core.flow.Sequential": sequential as FlowableHandler<never>,
  "core.flow.AllowFailure": allowFailure as FlowableHandler<never>,
  "core.flow.WorkingDirectory": workingDirectory as FlowableHandler<never>,
  "core.flow.Parallel": parallel as FlowableHandler<never>,
  "core.flow.If": ifHandler as FlowableHandler<never>,
  "core.flow.Switch": switchHandler as FlowableHandler<never>,
  "core.flow.ForEach": forEach as FlowableHandler<never>,
  "core.flow.EachSequential": eachSequential as FlowableHandler<never>,
  "core.flow.EachParallel": eachParallel as FlowableHandler<never>,
  "core.flow.Dag": dag as FlowableHandler<never>,
  "core.flow.LoopUntil": loopUntil as FlowableHandler<never>,
  "core.flow.Loop": loop as FlowableHandler<never>,
  "core.flow.Pause": pause as FlowableHandler<never>,
  "core.flow.Sleep": sleep as FlowableHandler<never>,
  "core.flow.Subflow": subflow as FlowableHandler<never>,
  "core.flow.ForEachItem": forEachItem as FlowableHandler<never>,
};
