import { z } from "zod";
import { PluginRegistry } from "@/engine/plugin";
import { flowPlugins } from "@/plugins/core/flow";

/**
 * The registry the workflow interprets a flow with: the flowable plugins in full (the executor walks
 * their schemas and runs their handlers) and, for runnable tasks, only their names: a runnable task is
 * an activity, run by the worker with the real plugin, so its code never enters the workflow sandbox.
 */
/** A runnable task's stand-in inside the workflow: the executor only starts it as an activity, never calls this. */
function activityOnly(): never {
  throw new Error("a runnable task runs as an activity on a worker, not inside the workflow");
}

export function workflowRegistry(runnable: { type: string; names: string[] }[]): PluginRegistry {
  const registry = new PluginRegistry(flowPlugins);
  for (const { type, names } of runnable) {
    const fresh = names.filter((name) => !registry.get(name));
    if (fresh.length === 0) continue;
    registry.register({
      type,
      names: fresh,
      kind: "runnable",
      title: type,
      schema: z.object({}),
      run: activityOnly,
    });
  }
  return registry;
}
