import { z } from "zod";
import type { Task } from "../../flow/model";
import { findCycle } from "../../flow/validate";
import { dyn, taskRef } from "../../plugin/schema";
import type { ValidationContext } from "../../plugin/types";
import { blockOf, parallelList, withErrorsAndFinally } from "../blocks";
import type { FlowableHandler } from "../flowable";
import { isFailure, isTerminal, type StateType } from "../states";
import { branchShape } from "./sequential";

export const dagSchema = z.object({
  tasks: z
    .array(
      z.strictObject({
        task: taskRef,
        dependsOn: z.array(z.string()).optional().describe("Ids of tasks of this Dag that must end first."),
      }),
    )
    .min(1, "a Dag needs at least one task")
    .describe("Tasks and their dependencies."),
  concurrent: dyn(z.number().int().min(0)).default(0).describe("How many run at once; 0 means no limit."),
  onChildFailure: onChildFailureSchema("Dag"),
  ...branchShape,
});
export type DagProps = z.output<typeof dagSchema>;

export const dag: FlowableHandler<DagProps> = {
  resolve(ctx) {
    const block = blockOf(ctx);
    const tasks = ctx.task.tasks.map((entry) => entry.task as unknown as Task);
    const deps = new Map(ctx.task.tasks.map((entry) => [entry.task.id, entry.dependsOn ?? []]));
    const ended = new Set(
      block.runs
        .filter((r) => isTerminal(r.state.current) && !isFailure(r.state.current))
        .map((r) => r.taskId),
    );
    for (const entry of ctx.task.tasks) if (entry.task.disabled) ended.add(entry.task.id);
    const ready = (task: Task) => (deps.get(task.id) ?? []).every((dep) => ended.has(dep));
    return withErrorsAndFinally(
      block,
      parallelList(block, tasks, ctx.task.concurrent, ready, {
        interrupt: interruptState(ctx.task.onChildFailure),
      }),
      ctx.task.errors,
      ctx.task.finally,
    );
  },
};

/**
 * Kestra 2.0's OnChildFailureInterface (Dag, Parallel). A new property: flows written before it never set
 * it, and its default keeps what the flowable always did, so their recorded Temporal histories replay
 * unchanged without a patch id.
 */
export function onChildFailureSchema(owner: string) {
  return dyn(z.enum(["CONTINUE", "CANCELLED", "FAILED", "CANCEL", "FAIL"]))
    .default("CONTINUE")
    .describe(
      `Kestra 2.0: once a task fails (no retry left), CONTINUE (default) awaits the tasks still running; CANCELLED or FAILED interrupts them, with their children, in that state. The ${owner} still ends FAILED and runs its \`errors\` and \`finally\`. CANCEL and FAIL are Kestra's later names of the last two.`,
    );
}

/** Kestra's OnChildFailureInterface.OnChildFailure.toTaskRunState, under both of its spellings. */
export function interruptState(policy: DagProps["onChildFailure"]): StateType | undefined {
  if (policy === "CANCELLED" || policy === "CANCEL") return "CANCELLED";
  if (policy === "FAILED" || policy === "FAIL") return "FAILED";
  return undefined;
}

/** A Dag's dependencies must name tasks of the same Dag and must not form a cycle. */
export function validateDag(properties: DagProps, context: ValidationContext): void {
  const ids = new Set(properties.tasks.map((entry) => entry.task.id));
  const graph = new Map<string, string[]>();
  properties.tasks.forEach((entry, index) => {
    (entry.dependsOn ?? []).forEach((dep, depIndex) => {
      if (!ids.has(dep))
        context.error(["tasks", index, "dependsOn", depIndex], `unknown task '${dep}' in dependsOn`);
    });
    graph.set(entry.task.id, entry.dependsOn ?? []);
  });
  const cycle = findCycle(graph);
  if (cycle) {
    const index = properties.tasks.findIndex((entry) => entry.task.id === cycle[0]);
    context.error(
      ["tasks", Math.max(0, index), "dependsOn"],
      `cyclic dependency detected: ${cycle.join(" -> ")}`,
    );
  }
}
