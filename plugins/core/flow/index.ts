/**
 * Flowable tasks: the executor interprets them (engine/executor/flowables); each file here declares one
 * with its names, docs and examples, like any other plugin.
 */
import { sequentialPlugin } from "./sequential";
import { parallelPlugin } from "./parallel";
import { ifPlugin } from "./if";
import { switchPlugin } from "./switch";
import { forEachPlugin } from "./for-each";
import { eachSequentialPlugin } from "./each-sequential";
import { eachParallelPlugin } from "./each-parallel";
import { forEachItemPlugin } from "./for-each-item";
import { dagPlugin } from "./dag";
import { loopUntilPlugin } from "./loop-until";
import { allowFailurePlugin } from "./allow-failure";
import { pausePlugin } from "./pause";
import { sleepPlugin } from "./sleep";
import { subflowPlugin } from "./subflow";
import { workingDirectoryPlugin } from "./working-directory";
import { templatePlugin } from "./template";

export const flowPlugins = [
  sequentialPlugin,
  parallelPlugin,
  ifPlugin,
  switchPlugin,
  forEachPlugin,
  eachSequentialPlugin,
  eachParallelPlugin,
  forEachItemPlugin,
  dagPlugin,
  loopUntilPlugin,
  allowFailurePlugin,
  pausePlugin,
  sleepPlugin,
  subflowPlugin,
  workingDirectoryPlugin,
  templatePlugin,
];
