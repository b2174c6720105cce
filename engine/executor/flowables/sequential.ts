import { z } from "zod";
import { taskList } from "../../plugin/schema";
import { blockOf, sequentialBlock } from "../blocks";
import type { FlowableHandler } from "../flowable";

export const branchShape = {
  errors: taskList("Tasks run when a task of this block fails.").optional(),
  finally: taskList("Tasks always run at the end of this block.").optional(),
};

export const sequentialSchema = z.object({
  tasks: taskList("Tasks run one after the other.", { min: 1 }),
  ...branchShape,
});
export type SequentialProps = z.output<typeof sequentialSchema>;

export const sequential: FlowableHandler<SequentialProps> = {
  resolve: (ctx) => sequentialBlock(blockOf(ctx), ctx.task.tasks, ctx.task.errors, ctx.task.finally),
};

export const allowFailureSchema = sequentialSchema;

/** Like Sequential, but a failure inside ends the block in WARNING so the flow goes on. */
export const allowFailure: FlowableHandler<SequentialProps> = {
  resolve: (ctx) => {
    const decision = sequentialBlock(blockOf(ctx), ctx.task.tasks, ctx.task.errors, ctx.task.finally);
    if (decision.state === "FAILED" || decision.state === "KILLED") {
      return { ...decision, state: ctx.step.execution.state.current === "KILLING" ? "KILLED" : "WARNING" };
    }
    return decision;
  },
};

export const workingDirectorySchema = z.object({
  tasks: taskList("Tasks that share one working directory.", { min: 1 }),
  ...branchShape,
  cache: z
    .strictObject({ patterns: z.array(z.string()), ttl: z.string().optional() })
    .optional()
    .describe("Accepted for compatibility and not used: every execution starts from an empty directory."),
  namespaceFiles: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      "Namespace files copied into the shared directory before its first task runs, as on a script task: " +
        "`enabled`, `include`, `exclude`, `namespaces`, `ifExists`, `folderPerNamespace`.",
    ),
  inputFiles: z
    .union([z.record(z.string(), z.string()), z.string()])
    .optional()
    .describe(
      "Files written into the shared directory before its first task runs (contents or kestra:// URIs).",
    ),
  outputFiles: z
    .array(z.string())
    .optional()
    .describe("Not supported yet: use `outputFiles` on the task that writes the files."),
});
export type WorkingDirectoryProps = z.output<typeof workingDirectorySchema>;

/**
 * Runs its tasks in order, like Sequential; the worker gives them one shared directory (see
 * worker/working-directory.ts). What is not implemented fails the run with a way out rather than being ignored.
 */
export const workingDirectory: FlowableHandler<WorkingDirectoryProps> = {
  restartsWhole: true,
  start: (ctx) => {
    if (ctx.task.outputFiles?.length) {
      throw new Error(
        "outputFiles on core.flow.WorkingDirectory is not supported yet: put outputFiles on the task that writes the files",
      );
    }
    return undefined;
  },
  resolve: (ctx) => sequentialBlock(blockOf(ctx), ctx.task.tasks, ctx.task.errors, ctx.task.finally),
};
