/**
 * Kestra's internal storage layout (StorageContext), shared by the worker and the plugins: an execution's
 * files live under `kestra:///{namespace as path}/{flowId}/executions/{executionId}/` (namespace dots become
 * path segments), a task run's under `.../tasks/{taskId}/{taskRunId}/`.
 */
export function executionStoragePrefix(namespace: string, flowId: string, executionId: string): string {
  return `kestra:///${namespace.split(".").join("/")}/${flowId}/executions/${executionId}/`;
}

export function taskRunStoragePrefix(
  execution: { namespace: string; flowId: string; id: string },
  taskId: string,
  taskRunId: string,
): string {
  return `${executionStoragePrefix(execution.namespace, execution.flowId, execution.id)}tasks/${taskId}/${taskRunId}/`;
}
