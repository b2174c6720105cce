import type { Execution } from "@/engine/executor";
import { isTerminal } from "@/engine/executor";
import type { ExecutionDetail } from "@/engine/plugin";

/**
 * The read-only view of an execution that task services hand to plugins (notification summaries). While the
 * afterExecution tasks run, the execution is still RUNNING but its outcome is decided (`finalState`): the
 * view shows that outcome, as Kestra's notifiers in afterExecution report the ended state.
 */
export function executionDetail(execution: Execution): ExecutionDetail {
  const decided = execution.internal?.finalState;
  const state = !isTerminal(execution.state.current) && decided ? decided : execution.state.current;
  return {
    id: execution.id,
    namespace: execution.namespace,
    flowId: execution.flowId,
    flowRevision: execution.flowRevision,
    state,
    labels: execution.labels.map(({ key, value }) => ({ key, value })),
    startDate: execution.state.startDate,
    ...(execution.state.endDate ? { endDate: execution.state.endDate } : {}),
    taskRuns: execution.taskRunList.map((run) => ({
      id: run.id,
      taskId: run.taskId,
      ...(run.value !== undefined ? { value: run.value } : {}),
      state: run.state.current,
    })),
  };
}
