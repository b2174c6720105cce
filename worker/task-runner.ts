import {
  type Execution,
  expressionOptions,
  type InputCipher,
  type TaskResultEvent,
  taskRunVariables,
  withIterationFunctions,
} from "@/engine/executor";
import { type ExprFunction, renderTreeAsync } from "@/engine/expr";
import { commonTaskSchema, type Flow, indexTasks, type Task } from "@/engine/flow";
import {
  coerceToSchema,
  type LogLevel,
  type Metric,
  missingServices,
  type PluginRegistry,
  type TaskServices,
} from "@/engine/plugin";
import { keeps, type LogEntry, loggerOf } from "./logs";
import { defaultNamespaceAccess, guardServices, type NamespaceAccess } from "./namespace-access";
import { describeIssues, splitProperties } from "./plugin-properties";
import { servicesFor, withWorkingDirectoryVariables } from "./working-directory";

const COMMON_KEYS = new Set(Object.keys(commonTaskSchema.shape));

export interface TaskRunnerDeps {
  registry: PluginRegistry;
  services: TaskServices;
  functions?: Record<string, ExprFunction>;
  now(): Date;
  /** Randomness for randomInt()/uuid() in the task's properties. */
  random(): number;
  envs?: Record<string, string>;
  globals?: Record<string, unknown>;
  /** Opens sealed SECRET inputs for templates. */
  inputCipher?: InputCipher;
  /** Which namespaces the task may reach through its services (default: itself and its ancestors). */
  namespaceAccess?: NamespaceAccess;
  log(entry: LogEntry): void;
}

const taskIndexCache = new WeakMap<Flow, Map<string, { task: Task }>>();

/** A task of a flow by id (indexed once per flow). */
export function findTask(flow: Flow, registry: PluginRegistry, taskId: string): Task | undefined {
  let index = taskIndexCache.get(flow);
  if (!index) {
    index = indexTasks(flow, registry);
    taskIndexCache.set(flow, index);
  }
  return index.get(taskId)?.task;
}

/**
 * Runs one attempt of a runnable task: renders its properties in the task run's context, validates them
 * against the plugin's schema, calls the plugin and turns what happens into a task result event.
 * Never throws: every failure becomes a FAILED (or KILLED) result with a message.
 */
export async function runTaskAttempt(
  flow: Flow,
  execution: Execution,
  command: { taskRunId: string; attempt: number },
  deps: TaskRunnerDeps,
  signal: AbortSignal,
): Promise<TaskResultEvent> {
  const result = (
    state: TaskResultEvent["state"],
    extra: Partial<TaskResultEvent> = {},
  ): TaskResultEvent => ({
    type: "taskResult",
    taskRunId: command.taskRunId,
    attempt: command.attempt,
    state,
    ...extra,
  });
  const run = execution.taskRunList.find((r) => r.id === command.taskRunId);
  const task = run && findTask(flow, deps.registry, run.taskId);
  const plugin = task && deps.registry.get(task.type);
  if (!run || !task || plugin?.kind !== "runnable") {
    return result("FAILED", {
      error: `cannot run task run ${command.taskRunId}: unknown task or not a runnable task`,
    });
  }

  const log = (level: LogLevel, message: string) => {
    if (!keeps(task.logLevel, level)) return;
    deps.log({
      executionId: execution.id,
      namespace: execution.namespace,
      flowId: execution.flowId,
      taskId: task.id,
      taskRunId: run.id,
      attemptNumber: command.attempt,
      level,
      message,
      timestamp: deps.now().toISOString(),
    });
  };
  const logger = loggerOf(log);

  const variables = withWorkingDirectoryVariables(
    taskRunVariables(flow, execution, task, run, deps),
    flow,
    execution,
    run,
    (taskId) => findTask(flow, deps.registry, taskId),
    deps,
  );
  const renderOptions = withIterationFunctions(expressionOptions(deps), execution, run);
  const { toRender, kept } = splitProperties(task, COMMON_KEYS, plugin.rawProperties);

  let properties: unknown;
  try {
    const rendered = (await renderTreeAsync(toRender, variables, renderOptions)) as Record<string, unknown>;
    const parsed = plugin.schema.safeParse({
      ...(coerceToSchema(plugin.schema, rendered) as object),
      ...kept,
    });
    if (!parsed.success) {
      return result("FAILED", {
        error: `invalid properties after rendering: ${describeIssues(parsed.error.issues)}`,
      });
    }
    properties = parsed.data;
  } catch (error) {
    return result("FAILED", { error: (error as Error).message });
  }

  // The one place every plugin's services pass the namespace boundaries (namespace-access.ts): a
  // WorkingDirectory's shared directory is filled (inputFiles, namespaceFiles) through them too.
  const guarded = guardServices(
    deps.services,
    deps.namespaceAccess ?? defaultNamespaceAccess,
    execution.namespace,
  );
  const services = servicesFor(
    flow,
    execution,
    run,
    (taskId) => findTask(flow, deps.registry, taskId),
    { ...deps, services: guarded },
    logger,
  );
  // The services the plugin declared it requires are typed as present in its run(): make it so.
  const missing = missingServices(plugin, services);
  if (missing) return result("FAILED", { error: missing });

  const metrics: Metric[] = [];
  try {
    const outcome = await plugin.run({
      properties: properties as never,
      task: { id: task.id, type: task.type },
      taskRun: { id: run.id, value: run.value, iteration: run.iteration, attempt: command.attempt },
      execution: {
        id: execution.id,
        namespace: execution.namespace,
        flowId: execution.flowId,
        flowRevision: execution.flowRevision,
        tenantId: execution.tenantId,
      },
      variables,
      logger,
      signal,
      services,
      now: () => deps.now(),
      render: (value, extra) =>
        renderTreeAsync(value, extra ? { ...variables, ...extra } : variables, renderOptions),
      metric: (metric) => metrics.push(metric),
    });
    if (signal.aborted) return result("KILLED", { error: "the task was stopped" });
    return result(outcome?.state ?? "SUCCESS", {
      ...(outcome?.outputs ? { outputs: outcome.outputs } : {}),
      ...(outcome?.labels ? { labels: outcome.labels } : {}),
      ...(outcome?.setVariables ? { setVariables: outcome.setVariables } : {}),
      ...(outcome?.unsetVariables ? { unsetVariables: outcome.unsetVariables } : {}),
      ...(outcome?.exit ? { exit: outcome.exit } : {}),
      ...(outcome?.killSubflows ? { killSubflows: true } : {}),
      ...(metrics.length ? { metrics } : {}),
    });
  } catch (error) {
    const sent = metrics.length ? { metrics } : {};
    if (signal.aborted) return result("KILLED", { error: "the task was stopped", ...sent });
    // The executor logs the error when it records the attempt; logging it here too would print it twice.
    return result("FAILED", { error: error instanceof Error ? error.message : String(error), ...sent });
  }
}
