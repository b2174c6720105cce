import { nodePlugins } from "./node";
import { pythonPlugins } from "./python";
import { shellPlugins } from "./shell";

export { nodePlugins, pythonPlugins, shellPlugins };
/** Script tasks, a group per language. */
export const scriptPlugins = [...shellPlugins, ...pythonPlugins, ...nodePlugins];
export { namespaceFiles as namespaceFilesSchema } from "./common";
export { copyNamespaceFiles, writeInputFiles } from "./run";
