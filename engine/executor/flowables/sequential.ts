import { z } from "zod";
import { taskList } from "../../plugin/schema";
import { parseDuration } from "../../util/duration";
import { blockOf, sequentialBlock, sequentialList, withErrorsAndFinally } from "../blocks";
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
    .strictObject({
      patterns: z
        .array(z.string())
        .describe("Glob patterns of the files kept, relative to the directory (`node_modules/**`)."),
      ttl: z
        .string()
        .refine((ttl) => parseDuration(ttl) !== undefined, "ttl must be an ISO-8601 duration, such as PT1H")
        .optional()
        .describe("How long a cache lives after it was written (ISO-8601, `PT1H`); without it, for ever."),
    })
    .optional()
    .describe(
      "Files kept from one execution to the next: once its tasks are done, the files matching `patterns` " +
        "are archived (zip) in the internal storage, under the namespace, flow and task (and the value of " +
        "the run, in a loop), when one of them changed; the next execution starts its directory from that " +
        "archive unless it is older than `ttl`.",
    ),
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
    .describe(
      "Glob patterns of files sent to the internal storage once its tasks are done: " +
        "`outputs.<id>.outputFiles['name']` is the URI of each.",
    ),
});
export type WorkingDirectoryProps = z.output<typeof workingDirectorySchema>;

/** What a WorkingDirectory run keeps between steps about keeping its files. */
interface WorkingDirectoryState {
  /** Its `outputFiles` and `cache` are kept (StepEnv.workingDirectoryFiles when it started). */
  saves?: boolean;
  /** The execution attempt in which the save was asked (a restart asks again). */
  saving?: number;
  /** The save of that attempt came back; `error` when the output files could not be kept. */
  saved?: { attempt: number; error?: string };
}

/**
 * Runs its tasks in order, like Sequential; the worker gives them one shared directory (see
 * worker/working-directory.ts). Once they are done (all, or up to the one that failed, as Kestra's Worker
 * runs WorkingDirectory.postExecuteTasks after its loop), and before `errors` and `finally`, the worker
 * keeps its `outputFiles` and `cache` (the `saveWorkingDirectory` command): output files that cannot be
 * kept fail it, a cache that cannot be written is only a warning, as in Kestra.
 */
export const workingDirectory: FlowableHandler<WorkingDirectoryProps> = {
  restartsWhole: true,
  start: (ctx) => {
    const outputFiles = (ctx.task.outputFiles?.length ?? 0) > 0;
    if (!outputFiles && ctx.task.cache === undefined) return undefined;
    // Asked only here: a Temporal run recorded before these were built replays as it ran.
    if (ctx.step.env.workingDirectoryFiles) ctx.internal<WorkingDirectoryState>().saves = true;
    else if (outputFiles) {
      throw new Error(
        "outputFiles on core.flow.WorkingDirectory is not supported yet: put outputFiles on the task that writes the files",
      );
    }
    return undefined;
  },
  resolve: (ctx) => {
    const block = blockOf(ctx);
    let main = sequentialList(block, ctx.task.tasks);
    const state = ctx.internal<WorkingDirectoryState>();
    if (state.saves && main.state !== undefined && !block.killing) {
      const attempt = ctx.step.execution.metadata.attemptNumber;
      if (state.saved?.attempt !== attempt) {
        if (state.saving !== attempt) {
          state.saving = attempt;
          ctx.step.command({
            type: "saveWorkingDirectory",
            taskRunId: ctx.run.id,
            taskId: ctx.run.taskId,
            attempt,
          });
        }
        return {};
      }
      if (state.saved.error) main = { ...main, state: "FAILED" };
    }
    return withErrorsAndFinally(block, main, ctx.task.errors, ctx.task.finally);
  },
  onWorkingDirectorySaved: (ctx, event) => {
    const state = ctx.internal<WorkingDirectoryState>();
    if (!state.saves || event.attempt !== state.saving || state.saved?.attempt === event.attempt) return;
    state.saved = { attempt: event.attempt, ...(event.error ? { error: event.error } : {}) };
    for (const warning of event.warnings ?? []) ctx.step.log("WARN", warning, ctx.run);
    if (event.error) ctx.step.log("ERROR", event.error, ctx.run);
    // Kestra's WorkingDirectory.outputs: none when no file matched.
    if (event.outputs) ctx.setOutputs(event.outputs);
    else if (ctx.run.outputs) ctx.run.outputs = null;
  },
};
