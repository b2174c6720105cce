import type { Execution } from "./model";

/**
 * The execution as the outside world sees it (CLI, REST, SSE): Kestra's JSON shape, without the executor's
 * bookkeeping.
 */
export function toExecutionJson(execution: Execution): Record<string, unknown> {
  const { internal: _internal, taskRunList, ...rest } = execution;
  return {
    ...rest,
    taskRunList: taskRunList.map(({ internal: _runInternal, ...run }) => run),
  };
}
