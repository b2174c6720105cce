import type { Execution, ExecutorCommand } from "@/engine/executor";

type CommandOf<T extends ExecutorCommand["type"]> = Extract<ExecutorCommand, { type: T }>;

/**
 * How a driver carries out each of the executor's commands: one method per command type, so a new command
 * fails to compile in every driver until each handles it. `execution` is the state the command came from.
 *
 * Where the work happens is the driver's choice: the memory driver does it at once, the embedded one
 * queues a job in the transaction that produced the command, a Temporal workflow starts an activity, a
 * timer or a child workflow. What the work *is* for the commands that are not plain "run"/"wait" lives in
 * this module (subflows.ts, split.ts, ended.ts, retry.ts), so every driver does the same.
 */
export type CommandSink = {
  [T in ExecutorCommand["type"]]: (execution: Execution, command: CommandOf<T>) => Promise<void>;
};

/** Hands each command to the sink's method for its type, in order. */
export async function dispatchCommands(
  sink: CommandSink,
  execution: Execution,
  commands: readonly ExecutorCommand[],
): Promise<void> {
  for (const command of commands) await dispatchCommand(sink, execution, command);
}

export function dispatchCommand(sink: CommandSink, execution: Execution, command: ExecutorCommand) {
  const handler = sink[command.type] as (execution: Execution, command: ExecutorCommand) => Promise<void>;
  return handler(execution, command);
}
