import { type Execution, expressionOptions, type TaskRun, taskRunVariables } from "@/engine/executor";
import { renderTreeAsync } from "@/engine/expr";
import type { Flow, Task } from "@/engine/flow";
import {
  coerceToSchema,
  type PluginRegistry,
  type ProcessRunner,
  type SharedWorkingDirectory,
  type TaskServices,
} from "@/engine/plugin";
import { copyNamespaceFiles, namespaceFilesSchema, writeInputFiles } from "@/plugins/scripts";
import type { TaskRunnerDeps } from "./task-runner";
import { type CacheSettings, cacheUri, restoreCache } from "./working-directory-cache";

const WORKING_DIRECTORY = "core.flow.WorkingDirectory";

/** What the task runner gives this module: its dependencies but its log sink. */
type Deps = Omit<TaskRunnerDeps, "log">;

/** The closest enclosing `core.flow.WorkingDirectory` run of a task run, with its task. */
function enclosingWorkingDirectory(
  execution: Execution,
  run: TaskRun,
  findTask: (taskId: string) => Task | undefined,
  registry: PluginRegistry,
): { run: TaskRun; task: Task } | undefined {
  const byId = new Map(execution.taskRunList.map((r) => [r.id, r]));
  for (let parent = run.parentTaskRunId && byId.get(run.parentTaskRunId); parent; ) {
    const task = findTask(parent.taskId);
    if (task && registry.get(task.type)?.type === WORKING_DIRECTORY) return { run: parent, task };
    parent = parent.parentTaskRunId ? byId.get(parent.parentTaskRunId) : undefined;
  }
  return undefined;
}

/**
 * Kestra's variables inside a WorkingDirectory (RunContextInitializer.forWorkingDirectory): `workerTaskrun` is
 * the WorkingDirectory's own `taskrun`, and a task in it without a value takes the WorkingDirectory's
 * (`{{ taskrun.value }}` in a WorkingDirectory inside a ForEach is the iteration's value, as in Kestra).
 */
export function withWorkingDirectoryVariables(
  variables: Record<string, unknown>,
  flow: Flow,
  execution: Execution,
  run: TaskRun,
  findTask: (taskId: string) => Task | undefined,
  deps: Pick<Deps, "registry" | "envs" | "globals" | "inputCipher">,
): Record<string, unknown> {
  const owner = enclosingWorkingDirectory(execution, run, findTask, deps.registry);
  if (!owner) return variables;
  const workerTaskrun = taskRunVariables(flow, execution, owner.task, owner.run, deps).taskrun as Record<
    string,
    unknown
  >;
  const taskrun = variables.taskrun as Record<string, unknown>;
  const value = taskrun.value ?? workerTaskrun.value;
  return { ...variables, workerTaskrun, taskrun: { ...taskrun, value } };
}

/**
 * The services a task run sees: inside a WorkingDirectory, its process runner hands out workspaces whose
 * working directory is the one the WorkingDirectory's tasks share (created by the first of them, with the
 * WorkingDirectory's `namespaceFiles` copied and then its `inputFiles` written into it, as a script task
 * fills its own; removed when the execution ends). Elsewhere, unchanged. `deps.services` are the ones
 * already guarded by the namespace boundaries: the files come through them.
 */
export function servicesFor(
  flow: Flow,
  execution: Execution,
  run: TaskRun,
  findTask: (taskId: string) => Task | undefined,
  deps: Deps,
  logger: { debug(message: string): void; warn(message: string): void },
): TaskServices {
  const runner = deps.services.processRunner;
  if (!runner) return deps.services;
  const owner = enclosingWorkingDirectory(execution, run, findTask, deps.registry);
  if (!owner) return deps.services;

  const shared: SharedWorkingDirectory = {
    executionId: execution.id,
    ownerId: owner.run.id,
    async onCreate(workspace) {
      const { inputFiles, namespaceFiles, cache } = owner.task as {
        inputFiles?: unknown;
        namespaceFiles?: unknown;
        cache?: CacheSettings;
      };
      // Only a run the executor decided keeps its files (StepEnv.workingDirectoryFiles) uses its cache.
      const storage = deps.services.storage;
      if (cache && owner.run.internal?.saves === true && storage) {
        const uri = cacheUri(execution.namespace, execution.flowId, owner.task.id, owner.run.value);
        await restoreCache(storage, workspace, uri, cache, deps.now(), logger);
      }
      if (inputFiles === undefined && namespaceFiles === undefined) return;
      const variables = {
        ...taskRunVariables(flow, execution, owner.task, owner.run, deps),
        workingDir: workspace.workingDir,
      };
      const render = (value: unknown, extra?: Record<string, unknown>) =>
        renderTreeAsync(value, extra ? { ...variables, ...extra } : variables, expressionOptions(deps));
      const written = new Set<string>();
      if (namespaceFiles !== undefined) {
        const rendered = coerceToSchema(namespaceFilesSchema, await render(namespaceFiles));
        const parsed = namespaceFilesSchema.safeParse(rendered);
        if (!parsed.success)
          throw new Error(
            `namespaceFiles of WorkingDirectory '${owner.task.id}': ${parsed.error.issues[0]?.message}`,
          );
        await copyNamespaceFiles(
          parsed.data,
          { execution, logger },
          deps.services.storage,
          workspace,
          written,
        );
      }
      if (inputFiles !== undefined)
        await writeInputFiles({ render }, inputFiles, variables, workspace, deps.services.storage);
    },
  };
  const sharing: ProcessRunner = {
    createWorkspace: (options) => runner.createWorkspace({ ...options, shared }),
    ...(runner.releaseShared
      ? { releaseShared: (id: string) => runner.releaseShared?.(id) ?? Promise.resolve() }
      : {}),
  };
  return { ...deps.services, processRunner: sharing };
}
