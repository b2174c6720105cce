import type { ExecutorCommand } from "@/engine/executor";
import { splitContent } from "../storage/split";
import { taskFileUri } from "../storage/uris";
import type { DriverPorts } from "./ports";

type SplitItemsCommand = Omit<Extract<ExecutorCommand, { type: "splitItems" }>, "type">;

/**
 * Splits ForEachItem's items into batch files in the internal storage (next to the task run's own files)
 * and tells the execution their URIs, or why the items could not be read. With `lines`, it sends the lines.
 * With `splitsFile`, it also writes `splits.txt`, the batch URIs one a line (Kestra's ForEachItemSplit).
 */
export async function splitItems(
  ports: DriverPorts,
  executionId: string,
  command: SplitItemsCommand,
): Promise<void> {
  const execution = await ports.executions.get(executionId);
  if (!execution) return;
  const run = execution.taskRunList.find((r) => r.id === command.taskRunId);
  const batches: string[] = [];
  let splits: string | undefined;
  const fileUri = (name: string) =>
    taskFileUri(
      execution.namespace,
      execution.flowId,
      execution.id,
      run?.taskId ?? "items",
      command.taskRunId,
      name,
    );
  try {
    const content = new TextDecoder().decode(await ports.storage.get(command.uri));
    if (command.lines) {
      // Loop: one iteration per line, the lines travel in the event itself (no file per line).
      const separator = command.separator || "\n";
      for (const part of splitContent(content, { rows: 1, separator }))
        batches.push(part.endsWith(separator) ? part.slice(0, -separator.length) : part);
    } else {
      for (const [index, part] of splitContent(content, command).entries()) {
        batches.push(await ports.storage.put(fileUri(`batch-${index + 1}.txt`), part));
      }
      if (command.splitsFile) splits = await ports.storage.put(fileUri("splits.txt"), batches.join("\n"));
    }
  } catch (error) {
    await ports.executions.send(executionId, {
      type: "itemsSplit",
      taskRunId: command.taskRunId,
      batches: [],
      error: `cannot split ${command.uri}: ${(error as Error).message}`,
    });
    return;
  }
  await ports.executions.send(executionId, {
    type: "itemsSplit",
    taskRunId: command.taskRunId,
    batches,
    ...(splits ? { splits } : {}),
  });
}
