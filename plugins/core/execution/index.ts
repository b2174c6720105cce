import { exitPlugin } from "./exit";
import { failPlugin } from "./fail";
import { labelsPlugin } from "./labels";
import { setVariablesPlugin, unsetVariablesPlugin } from "./set-variables";

export const executionPlugins = [failPlugin, exitPlugin, labelsPlugin, setVariablesPlugin, unsetVariablesPlugin];
