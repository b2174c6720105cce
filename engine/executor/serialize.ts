import type { Execution, State, TaskRun } from "./model";

function state(s: State) {
  return {
    current: s.current,
    histories: s.histories.map((h) => ({ state: h.state, date: h.date })),
    startDate: s.startDate,
    ...(s.endDate !== undefined ? { endDate: s.endDate } : {}),
    ...(s.duration !== undefined ? { duration: s.duration } : {}),
  };
}

function taskRun(run: TaskRun) {
  return {
    id: run.id,
    executionId: run.executionId,
    namespace: run.namespace,
    flowId: run.flowId,
    taskId: run.taskId,
    parentTaskRunId: run.parentTaskRunId ?? null,
    value: run.value ?? null,
    iteration: run.iteration ?? null,
    state: state(run.state),
    attempts: run.attempts.map((a) => ({
      state: state(a.state),
      ...(a.error ? { error: a.error } : {}),
      ...(a.lost ? { lost: true } : {}),
      ...(a.metrics?.length ? { metrics: a.metrics } : {}),
    })),
    outputs: run.outputs ?? null,
  };
}

/**
 * The execution as the outside world sees it (CLI, REST, SSE): Kestra's JSON shape in Kestra's key order,
 * without the executor's bookkeeping. The same whatever the driver (jsonb storage reorders keys).
 */
export function toExecutionJson(execution: Execution): Record<string, unknown> {
  return {
    id: execution.id,
    ...(execution.tenantId !== undefined ? { tenantId: execution.tenantId } : {}),
    namespace: execution.namespace,
    flowId: execution.flowId,
    flowRevision: execution.flowRevision,
    state: state(execution.state),
    inputs: execution.inputs,
    ...(execution.outputs !== undefined ? { outputs: execution.outputs } : {}),
    labels: execution.labels,
    ...(execution.variables !== undefined ? { variables: execution.variables } : {}),
    taskRunList: execution.taskRunList.map(taskRun),
    ...(execution.trigger !== undefined ? { trigger: execution.trigger } : {}),
    ...(execution.parentId !== undefined ? { parentId: execution.parentId } : {}),
    originalId: execution.originalId,
    // Kestra writes `kind: null` for a normal execution; clients filter on it.
    kind: execution.kind ?? null,
    ...(execution.loopRun !== undefined ? { loopRun: execution.loopRun } : {}),
    ...(execution.scheduleDate !== undefined ? { scheduleDate: execution.scheduleDate } : {}),
    metadata: execution.metadata,
  };
}
