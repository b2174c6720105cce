import { pythonCommandsPlugin } from "./commands";
import { pythonScriptPlugin } from "./script";

export const pythonPlugins = [pythonCommandsPlugin, pythonScriptPlugin];
