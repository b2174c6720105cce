import { nodeCommandsPlugin } from "./commands";
import { nodeScriptPlugin } from "./script";

export const nodePlugins = [nodeCommandsPlugin, nodeScriptPlugin];
