import { clonePlugin } from "./clone";
import { pushFlowsPlugin } from "./push-flows";
import { pushNamespaceFilesPlugin } from "./push-namespace-files";
import { syncFlowsPlugin } from "./sync-flows";
import { syncNamespaceFilesPlugin } from "./sync-namespace-files";

/** Kestra's plugin-git: repositories cloned, synced and pushed with the `git` program (see README.md). */
export const gitPlugins = [
  clonePlugin,
  pushFlowsPlugin,
  syncFlowsPlugin,
  pushNamespaceFilesPlugin,
  syncNamespaceFilesPlugin,
];
