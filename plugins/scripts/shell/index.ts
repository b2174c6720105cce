import { shellCommandsPlugin } from "./commands";
import { shellScriptPlugin } from "./script";

export const shellPlugins = [shellCommandsPlugin, shellScriptPlugin];
