/** Kestra's internal storage layout (StorageContext): namespace dots become path segments. */
function executionPrefix(namespace: string, flowId: string, executionId: string): string {
  return `kestra:///${namespace.split(".").join("/")}/${flowId}/executions/${executionId}`;
}

const safe = (name: string) => encodeURIComponent(name).replace(/%20/g, "+");

export function inputFileUri(
  namespace: string,
  flowId: string,
  executionId: string,
  inputId: string,
  fileName: string,
): string {
  return `${executionPrefix(namespace, flowId, executionId)}/inputs/${inputId}/${safe(fileName)}`;
}

export function taskFileUri(
  namespace: string,
  flowId: string,
  executionId: string,
  taskId: string,
  taskRunId: string,
  fileName: string,
): string {
  return `${executionPrefix(namespace, flowId, executionId)}/tasks/${taskId}/${taskRunId}/${safe(fileName)}`;
}
