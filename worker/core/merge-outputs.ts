import type { ExecutorCommand } from "@/engine/executor";
import { taskFileUri } from "../storage/uris";
import type { DriverPorts } from "./ports";

type MergeCommand = Omit<Extract<ExecutorCommand, { type: "mergeSubflowOutputs" }>, "type">;

/**
 * ForEachItem's `<id>_merge` (Kestra's ForEachItemMergeOutputs): the subflows' flow outputs, one JSON line
 * each (JSON is Ion text, which Kestra writes there), in `outputs.ion` next to the task run's own files;
 * the execution is told the file's URI, or why it could not be written.
 */
export async function mergeSubflowOutputs(
  ports: DriverPorts,
  executionId: string,
  command: MergeCommand,
): Promise<void> {
  const execution = await ports.executions.get(executionId);
  if (!execution) return;
  const run = execution.taskRunList.find((r) => r.id === command.taskRunId);
  const uri = taskFileUri(
    execution.namespace,
    execution.flowId,
    execution.id,
    run?.taskId ?? "merge",
    command.taskRunId,
    "outputs.ion",
  );
  const content = command.outputs.map((outputs) => `${JSON.stringify(outputs)}\n`).join("");
  try {
    const stored = await ports.storage.put(uri, content);
    await ports.executions.send(executionId, {
      type: "subflowOutputsMerged",
      taskRunId: command.taskRunId,
      uri: stored,
    });
  } catch (error) {
    await ports.executions.send(executionId, {
      type: "subflowOutputsMerged",
      taskRunId: command.taskRunId,
      error: `cannot write the subflow outputs: ${(error as Error).message}`,
    });
  }
}
