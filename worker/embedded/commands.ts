import type { Execution, ExecutorCommand } from "@/engine/executor";
import { type CommandSink, dispatchCommands } from "../core";
import type { Queryable } from "./db";
import {
  addJob,
  CANCEL_CHANNEL,
  childQueue,
  ENDED_CHANNEL,
  JOB,
  removeJob,
  taskJobKey,
  timerJobKey,
} from "./jobs";

/** Turns the executor's commands into jobs and notifications, inside the transaction that produced them. */
export function enqueueCommands(
  db: Queryable,
  tenantId: string,
  execution: Execution,
  commands: readonly ExecutorCommand[],
): Promise<void> {
  return dispatchCommands(jobSink(db, tenantId), execution, commands);
}

/** One job (or notification) per command, added with `db` (the transaction that produced it). */
function jobSink(db: Queryable, tenantId: string): CommandSink {
  return {
    runTask: async (execution, command) => {
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
    },
    cancelTask: async (_execution, command) => {
      await db.query("select pg_notify($1, $2)", [
        CANCEL_CHANNEL,
        JSON.stringify({ taskRunId: command.taskRunId, attempt: command.attempt }),
      ]);
    },
    startTimer: async (execution, command) => {
      await addJob(
        db,
        JOB.timer,
        { executionId: execution.id, timerId: command.timerId },
        {
          runAt: command.at,
          jobKey: timerJobKey(execution.id, command.timerId),
        },
      );
    },
    cancelTimer: async (execution, command) => {
      await removeJob(db, timerJobKey(execution.id, command.timerId));
    },
    startSubflow: async (_execution, command) => {
      await addJob(
        db,
        JOB.subflow,
        { tenantId, command },
        {
          jobKey: `subflow:${command.executionId}`,
          jobKeyMode: "unsafe_dedupe",
          queueName: childQueue(command.executionId),
        },
      );
    },
    restartSubflow: async (execution, command) => {
      await addJob(
        db,
        JOB.restartSubflow,
        { parentId: execution.id, taskRunId: command.taskRunId, executionId: command.executionId },
        { jobKey: `restart-subflow:${command.executionId}:${execution.metadata.attemptNumber}` },
      );
    },
    killExecution: async (_execution, command) => {
      await addJob(
        db,
        JOB.event,
        { executionId: command.executionId, event: { type: "kill" } },
        { queueName: childQueue(command.executionId) },
      );
    },
    splitItems: async (execution, command) => {
      const { type: _type, ...split } = command;
      await addJob(db, JOB.split, { executionId: execution.id, ...split });
    },
    mergeSubflowOutputs: async (execution, command) => {
      const { type: _type, ...merge } = command;
      await addJob(db, JOB.mergeOutputs, { executionId: execution.id, ...merge });
    },
    saveWorkingDirectory: async (execution, command) => {
      await addJob(
        db,
        JOB.saveWorkingDirectory,
        { executionId: execution.id, taskRunId: command.taskRunId, attempt: command.attempt },
        { jobKey: `save-wd:${command.taskRunId}:${command.attempt}`, jobKeyMode: "unsafe_dedupe" },
      );
    },
    executionEnded: async (execution, _command) => {
      await addJob(
        db,
        JOB.ended,
        { executionId: execution.id },
        { jobKey: `ended:${execution.id}:${execution.metadata.attemptNumber}` },
      );
      await db.query("select pg_notify($1, $2)", [ENDED_CHANNEL, execution.id]);
    },
    createExecution: async (execution, command) => {
      await addJob(
        db,
        JOB.retryExecution,
        { executionId: execution.id, attemptNumber: command.attemptNumber },
        { runAt: command.at, jobKey: `retry:${execution.id}:${command.attemptNumber}` },
      );
    },
  };
}
