import { z } from "zod";
import { type Plugin, PluginRegistry } from "@/engine/plugin";
import { flowPlugins } from "@/plugins/core/flow";

/**
 * The registry the workflow interprets a flow with: the flowable plugins in full (the executor walks
 * their schemas and runs their handlers) and, for runnable tasks, only their names: a runnable task is
 * an activity, run by the worker with the real plugin, so its code never enters the workflow sandbox.
 */
export function workflowRegistry(runnable: { type: string; names: string[] }[]): PluginRegistry {
  const registry = new PluginRegistry(flowPlugins as unknown as Plugin[]);
  for (const { type, names } of runnable) {
    const fresh = names.filter((name) => !registry.get(name));
    if (fresh.length === 0) continue;
    registry.register({ type, names: fresh, kind: "runnable", schema: z.object({}) } as unknown as Plugin);
  }
  return registry;
}
