/**
 * Flowable tasks: the executor interprets them (engine/executor/flowables); each file here declares one
 * with its names, docs and examples, like any other plugin.
 */

import { allowFailurePlugin } from "./allow-failure";
import { approvalPlugin } from "./approval";
import { dagPlugin } from "./dag";
import { eachParallelPlugin } from "./each-parallel";
import { eachSequentialPlugin } from "./each-sequential";
import { forEachPlugin } from "./for-each";
import { forEachItemPlugin } from "./for-each-item";
import { ifPlugin } from "./if";
import { loopPlugin } from "./loop";
import { loopUntilPlugin } from "./loop-until";
import { parallelPlugin } from "./parallel";
import { pausePlugin } from "./pause";
import { sequentialPlugin } from "./sequential";
import { sleepPlugin } from "./sleep";
import { subflowPlugin } from "./subflow";
import { switchPlugin } from "./switch";
import { templatePlugin } from "./template";
import { workingDirectoryPlugin } from "./working-directory";

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
  loopPlugin,
  allowFailurePlugin,
  pausePlugin,
  approvalPlugin,
  sleepPlugin,
  subflowPlugin,
  workingDirectoryPlugin,
  templatePlugin,
];
