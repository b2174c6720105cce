import { assertPlugin } from "./assert";
import { countPlugin } from "./count";
import { exitPlugin } from "./exit";
import { failPlugin } from "./fail";
import { killPlugin } from "./kill";
import { labelsPlugin } from "./labels";
import { purgeExecutionsPlugin } from "./purge-executions";
import { resumePlugin } from "./resume";
import { setVariablesPlugin, unsetVariablesPlugin } from "./set-variables";

export const executionPlugins = [
  failPlugin,
  exitPlugin,
  killPlugin,
  labelsPlugin,
  setVariablesPlugin,
  unsetVariablesPlugin,
  assertPlugin,
  countPlugin,
  resumePlugin,
  purgeExecutionsPlugin,
];
