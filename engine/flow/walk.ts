import type { PluginRegistry } from "../plugin/registry";
import type { PathSegment } from "./errors";
import { fullSchemaOf } from "./load";
import type { Flow, Task, TaskLocation } from "./model";
import { findSlots, getAt } from "./slots";

/** The nested task lists of a task: `[{ slot: "then", tasks }, { slot: "cases.A", tasks }, ...]`. */
export function childTaskLists(
  task: Task,
  registry: PluginRegistry,
): { slot: string; path: PathSegment[]; tasks: Task[] }[] {
  const plugin = registry.get(task.type);
  if (plugin?.kind !== "flowable") return [];
  const out: { slot: string; path: PathSegment[]; tasks: Task[] }[] = [];
  for (const slot of findSlots(fullSchemaOf(plugin), task)) {
    if (slot.kind !== "task") continue;
    const value = getAt(task, slot.path);
    const tasks = (slot.single ? [value] : (value as Task[])).filter(Boolean) as Task[];
    out.push({ slot: slot.path.filter((s) => typeof s === "string").join("."), path: slot.path, tasks });
  }
  return out;
}

/** Visits every task of a flow, nested ones included, parents before children. */
export function forEachTask(
  flow: Pick<Flow, "tasks" | "errors" | "finally" | "afterExecution">,
  registry: PluginRegistry,
  visit: (location: TaskLocation) => void,
): void {
  const walk = (tasks: Task[], parent: Task | undefined, slot: string) => {
    for (const task of tasks) {
      const kind = registry.get(task.type)?.kind ?? "runnable";
      visit({ task, parent, slot, kind });
      for (const child of childTaskLists(task, registry)) walk(child.tasks, task, child.slot);
    }
  };
  walk(flow.tasks, undefined, "tasks");
  walk(flow.errors, undefined, "errors");
  walk(flow.finally, undefined, "finally");
  walk(flow.afterExecution, undefined, "afterExecution");
}

/** Every task of a flow by id, with where it sits. */
export function indexTasks(flow: Flow, registry: PluginRegistry): Map<string, TaskLocation> {
  const index = new Map<string, TaskLocation>();
  forEachTask(flow, registry, (location) => {
    if (!index.has(location.task.id)) index.set(location.task.id, location);
  });
  return index;
}
