import type { Execution, ExecutorCommand } from "@/engine/executor";
import type { Queryable } from "./db";
import { addJob, CANCEL_CHANNEL, ENDED_CHANNEL, JOB, removeJob, taskJobKey, timerJobKey } from "./jobs";

/** Turns the executor's commands into jobs and notifications, inside the transaction that produced them. */
export async function enqueueCommands(
  db: Queryable,
  tenantId: string,
  execution: Execution,
  commands: readonly ExecutorCommand[],
): Promise<void> {
  for (const command of commands) {
    switch (command.type) {
      case "runTask":
        await addJob(
          db,
          JOB.task,
          { executionId: execution.id, taskRunId: command.taskRunId, attempt: command.attempt },
          // The attempt is part of the key: a duplicate delivery of the same attempt is ignored.
          {
            jobKey: taskJobKey(command.taskRunId, command.attempt),
            jobKeyMode: "unsafe_dedupe",
            maxAttempts: 5,
          },
        );
        break;
      case "cancelTask":
        await db.query("select pg_notify($1, $2)", [
          CANCEL_CHANNEL,
          JSON.stringify({ taskRunId: command.taskRunId, attempt: command.attempt }),
        ]);
        break;
      case "startTimer":
        await addJob(
          db,
          JOB.timer,
          { executionId: execution.id, timerId: command.timerId },
          {
            runAt: command.at,
            jobKey: timerJobKey(execution.id, command.timerId),
          },
        );
        break;
      case "cancelTimer":
        await removeJob(db, timerJobKey(execution.id, command.timerId));
        break;
      case "startSubflow":
        await addJob(
          db,
          JOB.subflow,
          { tenantId, command },
          { jobKey: `subflow:${command.executionId}`, jobKeyMode: "unsafe_dedupe" },
        );
        break;
      case "restartSubflow":
        await addJob(
          db,
          JOB.restartSubflow,
          { parentId: execution.id, taskRunId: command.taskRunId, executionId: command.executionId },
          { jobKey: `restart-subflow:${command.executionId}:${execution.metadata.attemptNumber}` },
        );
        break;
      case "killExecution":
        await addJob(db, JOB.event, { executionId: command.executionId, event: { type: "kill" } });
        break;
      case "splitItems": {
        const { type: _type, ...split } = command;
        await addJob(db, JOB.split, { executionId: execution.id, ...split });
        break;
      }
      case "executionEnded":
        await addJob(
          db,
          JOB.ended,
          { executionId: execution.id },
          { jobKey: `ended:${execution.id}:${execution.metadata.attemptNumber}` },
        );
        await db.query("select pg_notify($1, $2)", [ENDED_CHANNEL, execution.id]);
        break;
      case "createExecution":
        await addJob(
          db,
          JOB.retryExecution,
          { executionId: execution.id, attemptNumber: command.attemptNumber },
          { runAt: command.at, jobKey: `retry:${execution.id}:${command.attemptNumber}` },
        );
        break;
    }
  }
}
