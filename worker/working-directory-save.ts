import {
  type Execution,
  type ExecutorCommand,
  expressionOptions,
  taskRunVariables,
  type WorkingDirectorySavedEvent,
} from "@/engine/executor";
import { renderTreeAsync } from "@/engine/expr";
import type { Flow } from "@/engine/flow";
import { defaultNamespaceAccess, guardServices } from "./namespace-access";
import { taskFileUri } from "./storage/uris";
import { findTask, type TaskRunnerDeps } from "./task-runner";
import { type CacheSettings, cacheUri, saveCache } from "./working-directory-cache";

type SaveCommand = Pick<Extract<ExecutorCommand, { type: "saveWorkingDirectory" }>, "taskRunId" | "attempt">;

/**
 * Keeps what a WorkingDirectory asks to keep once its tasks are done, from the directory they shared, as
 * Kestra's WorkingDirectory.postExecuteTasks: the files matching `outputFiles` (rendered) go to the
 * internal storage next to its task run's own files, and are its `outputFiles` output (none when no file
 * matched); then its `cache` is archived when one of its files changed. Output files that cannot be kept
 * are the event's `error` (the WorkingDirectory fails); a cache that cannot be written only a warning, and
 * no cache is written after an error, as there. Never throws. The storage is reached through the namespace
 * boundaries, as the tasks' own services.
 */
export async function saveWorkingDirectory(
  flow: Flow,
  execution: Execution,
  command: SaveCommand,
  deps: Omit<TaskRunnerDeps, "log">,
): Promise<WorkingDirectorySavedEvent> {
  const event: WorkingDirectorySavedEvent = {
    type: "workingDirectorySaved",
    taskRunId: command.taskRunId,
    attempt: command.attempt,
  };
  const run = execution.taskRunList.find((r) => r.id === command.taskRunId);
  const task = run && findTask(flow, deps.registry, run.taskId);
  if (!run || !task) return { ...event, error: `no WorkingDirectory task run ${command.taskRunId}` };
  const { outputFiles = [], cache } = task as { outputFiles?: string[]; cache?: CacheSettings };

  // None of its tasks needed a directory (no script, no LocalFiles): nothing to keep.
  const workspace = await deps.services.processRunner
    ?.openShared?.({ executionId: execution.id, ownerId: run.id })
    .catch((error: unknown) => error as Error);
  if (workspace instanceof Error)
    return { ...event, error: `cannot open the working directory: ${workspace.message}` };
  if (!workspace) return event;

  const storage = guardServices(
    deps.services,
    deps.namespaceAccess ?? defaultNamespaceAccess,
    execution.namespace,
  ).storage;
  try {
    if (outputFiles.length > 0) {
      try {
        if (!storage) throw new Error("outputFiles need the internal storage");
        const variables = {
          ...taskRunVariables(flow, execution, task, run, deps),
          workingDir: workspace.workingDir,
        };
        const patterns = (await renderTreeAsync(
          outputFiles,
          variables,
          expressionOptions(deps),
        )) as unknown[];
        const uris: Record<string, string> = {};
        for (const file of await workspace.collect(patterns.map(String))) {
          if (uris[file.path]) continue;
          const uri = taskFileUri(
            execution.namespace,
            execution.flowId,
            execution.id,
            task.id,
            run.id,
            file.path,
          );
          uris[file.path] = await storage.put(uri, await file.read());
        }
        if (Object.keys(uris).length > 0) event.outputs = { outputFiles: uris };
      } catch (error) {
        return {
          ...event,
          error: `Unable to capture WorkingDirectory output files: ${(error as Error).message}`,
        };
      }
    }
    if (cache && storage) {
      try {
        await saveCache(
          storage,
          workspace,
          cacheUri(execution.namespace, execution.flowId, task.id, run.value),
          cache,
        );
      } catch (error) {
        event.warnings = [`Unable to write the WorkingDirectory cache: ${(error as Error).message}`];
      }
    }
    return event;
  } finally {
    await workspace.dispose().catch(() => undefined);
  }
}
