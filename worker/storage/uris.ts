import { executionStoragePrefix } from "@/engine/plugin";

const safe = (name: string) => encodeURIComponent(name).replace(/%20/g, "+");

export function inputFileUri(
  namespace: string,
  flowId: string,
  executionId: string,
  inputId: string,
  fileName: string,
): string {
  return `${executionStoragePrefix(namespace, flowId, executionId)}inputs/${inputId}/${safe(fileName)}`;
}

export function taskFileUri(
  namespace: string,
  flowId: string,
  executionId: string,
  taskId: string,
  taskRunId: string,
  fileName: string,
): string {
  return `${executionStoragePrefix(namespace, flowId, executionId)}tasks/${taskId}/${taskRunId}/${safe(fileName)}`;
}
