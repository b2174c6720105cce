import { Context } from "@temporalio/activity";
import type { Client } from "@temporalio/client";
import { ApplicationFailure } from "@temporalio/common";
import type { Execution } from "@/engine/executor";
import { forEachTask } from "@/engine/flow";
import {
  type DriverPorts,
  executionEnded,
  mergeSubflowOutputs,
  retryExecution,
  splitItems,
  startSubflow,
} from "../../core";
import {
  LOG_TAIL_CHARS,
  runStoredAttempt,
  runStoredAttemptWithLogTail,
  saveStoredWorkingDirectory,
} from "../../embedded/attempt";
import type { EngineContext } from "../../embedded/context";
import { withTransaction } from "../../embedded/db";
import { loadExecution } from "../../embedded/execution-store";
import { insertLogs } from "../../embedded/logs-store";
import { WORKER_SHUTDOWN } from "../names";
import { temporalDriverPorts } from "../ports";
import { claimConcurrencySlot } from "./concurrency";
import { createPersist, writtenMemory } from "./persist";
import { createStoredExecution } from "./store";
import type { LoadedExecution, TemporalActivities, WorkflowSettings } from "./types";

export { createStoredExecution } from "./store";
export type { LoadedExecution, TemporalActivities, WorkflowSettings } from "./types";

const HEARTBEAT_EVERY_MS = 2_000;
const SUBFLOW_REFUSED = "SubflowFunctionRefused";
const SUBFLOW_IN_WORKFLOW =
  "subflow(): can only be used at flow-input render time (e.g. an input's 'expression'); it is not supported in a flowable's properties or the flow's outputs, which the Temporal workflow renders";

// A task attempt's last log lines go back to the workflow with its result (and so into its history) up to
// LOG_TAIL_CHARS of messages; more are written by the activity itself.
export { LOG_TAIL_CHARS } from "../../embedded/attempt";

/**
 * Runs a lookup activity's work with heartbeats. A task the server handed to a worker that stopped (a
 * poll answered as the worker shut down; the process killed) is otherwise noticed only at its start-to-close
 * timeout, minutes during which the execution waits; with heartbeats (the workflow's heartbeatTimeout) it is
 * retried within seconds. Every lookup is idempotent, so a retry of one that did run changes nothing.
 * Local activities (and calls outside an activity, in tests) have nothing to heartbeat to.
 */
async function beating<T>(work: () => Promise<T>): Promise<T> {
  let activity: Context | undefined;
  try {
    activity = Context.current();
  } catch {
    activity = undefined;
  }
  if (!activity || activity.info.isLocal) return work();
  const current = activity;
  const timer = setInterval(() => current.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

async function stored(ctx: EngineContext, executionId: string) {
  const found = await loadExecution(ctx.pool, executionId);
  if (!found) throw new Error(`execution ${executionId} not found`);
  return found;
}

/**
 * The execution as this workflow run first read it. `loadExecution` and the steps' `persist` are local
 * activities: they run inside a workflow task and are recorded only when it completes. A task that times
 * out (a busy worker) after its persists ran is attempted again from the workflow's start, and reading
 * the row then would give it the later state it wrote itself: no command of its history leads there, and
 * an execution already ended waits for an end that was already dispatched. So the first read of a run is
 * kept, and its later attempts replay from it; the persists they repeat are idempotent rewrites (their logs
 * may be written twice, as a local activity's effects may). A new run (continueAsNew) starts from the row.
 */
async function runStartDocument(pool: EngineContext["pool"], executionId: string, runId: string) {
  return withTransaction(pool, async (client) => {
    await client.query(
      `insert into temporal_run_starts (execution_id, run_id, document)
       select id, $2, document from executions where id = $1
       on conflict (execution_id) do update set run_id = excluded.run_id, document = excluded.document,
         created_at = now()
       where temporal_run_starts.run_id <> excluded.run_id`,
      [executionId, runId],
    );
    const row = await client.query<{ document: Execution; version: string | null }>(
      `select s.document, case when s.document = e.document then e.xmin::text end as version
       from temporal_run_starts s join executions e on e.id = s.execution_id where s.execution_id = $1`,
      [executionId],
    );
    const found = row.rows[0];
    if (!found) throw new Error(`execution ${executionId} not found`);
    return { execution: found.document, version: found.version ?? undefined };
  });
}

/**
 * Ports for a piece of the core that reports to the execution running it (a subflow that cannot be
 * created, the split batches): inside its own workflow that is the activity's result, not an update of
 * the workflow (which waits for this activity), so what is sent to `executionId` is kept here.
 */
function capturing(ports: DriverPorts, executionId: string, create?: DriverPorts["executions"]["create"]) {
  const sent: Parameters<DriverPorts["executions"]["send"]>[1][] = [];
  const captured: DriverPorts = {
    ...ports,
    executions: {
      ...ports.executions,
      send: async (id, event) => {
        if (id !== executionId) return ports.executions.send(id, event);
        sent.push(event);
        return undefined;
      },
      ...(create ? { create } : {}),
    },
    atomically: (work) => work(captured),
  };
  return { ports: captured, sent };
}

/**
 * The Temporal driver's activities over the embedded engine's stores (PostgreSQL, internal storage). What
 * is not plain bookkeeping is the shared driver core's (worker/core) with `temporalDriverPorts`, and a
 * task attempt is the embedded engine's (`runStoredAttempt`), so the three drivers do the same things.
 * `client` starts and operates other executions' workflows (Flow triggers, queued executions, retries).
 */
export function createTemporalActivities(
  ctx: EngineContext,
  client: () => Client,
  settings: WorkflowSettings = { searchAttributes: [] },
): TemporalActivities {
  const ports = (tenantId: string) => temporalDriverPorts(ctx, tenantId, client());
  // What persist last wrote, or loadExecution read, of each execution: the next step's write is one
  // statement at that version (persist.ts).
  const written = writtenMemory();
  return {
    async loadExecution({ tenantId, executionId, runId }): Promise<LoadedExecution> {
      const { execution, version } = runId
        ? await runStartDocument(ctx.pool, executionId, runId)
        : await stored(ctx, executionId);
      // Remembered for persist's one-statement write only when it is what the row holds (not a later
      // attempt's older first read).
      if (version) written.remember({ text: JSON.stringify(execution), execution, version });
      const flow = await ctx.flows.ofExecution(ctx.pool, tenantId, execution);
      const runnable = new Map<string, Set<string>>();
      const inlineTaskIds: string[] = [];
      forEachTask(flow, ctx.registry, ({ task }) => {
        const plugin = ctx.registry.get(task.type);
        if (!plugin || plugin.kind === "flowable") return;
        if (ctx.inlineTasks && plugin.kind === "runnable" && plugin.inline) inlineTaskIds.push(task.id);
        const names = runnable.get(plugin.type) ?? new Set<string>();
        names.add(task.type);
        runnable.set(plugin.type, names);
      });
      return {
        execution,
        flow,
        runnableTypes: [...runnable].map(([type, names]) => ({ type, names: [...names] })),
        functionNames: Object.keys(ctx.functions(ctx.pool, tenantId)),
        inlineTaskIds,
        ...(settings.historyLimit ? { historyLimit: settings.historyLimit } : {}),
        searchAttributes: settings.searchAttributes,
      };
    },

    persist: createPersist(ctx, written, (tenantId, executionId) =>
      executionEnded(ports(tenantId), executionId),
    ),

    async runTask({ tenantId, executionId, command, logTail }) {
      const { execution } = await stored(ctx, executionId);
      const flow = await ctx.flows.ofExecution(ctx.pool, tenantId, execution);
      const activity = Context.current();
      const controller = new AbortController();
      const onCancel = () => controller.abort();
      activity.cancellationSignal.addEventListener("abort", onCancel);
      const heartbeat = setInterval(() => activity.heartbeat(), HEARTBEAT_EVERY_MS);
      try {
        // The last logs are kept for the workflow's next persist when it asks (its patch), else written.
        const { result, logs } = logTail
          ? await runStoredAttemptWithLogTail(
              ctx,
              tenantId,
              flow,
              execution,
              command,
              controller.signal,
              LOG_TAIL_CHARS,
            )
          : {
              result: await runStoredAttempt(ctx, tenantId, flow, execution, command, controller.signal),
              logs: [],
            };
        // Cancelled because this worker is shutting down (a deploy), not because the execution was
        // killed: the attempt is lost, not KILLED; the workflow runs it again on another worker.
        const why = activity.cancellationDetails;
        const lost = why?.workerShutdown && !why.cancelRequested;
        // A cancelled attempt's result does not reach the step (the workflow sees the cancellation), and
        // neither would its logs: they are written here.
        if (logs.length > 0 && (lost || activity.cancellationSignal.aborted))
          await insertLogs(ctx.pool, tenantId, logs);
        if (lost) throw ApplicationFailure.nonRetryable("the worker running it shut down", WORKER_SHUTDOWN);
        return logs.length > 0 && !activity.cancellationSignal.aborted ? { ...result, logs } : result;
      } finally {
        clearInterval(heartbeat);
        activity.cancellationSignal.removeEventListener("abort", onCancel);
      }
    },

    callFunction({ tenantId, name, args, named, context }) {
      // The workflow renders a flowable's properties and the flow's outputs: subflow() would hold a worker's
      // activity slot while a whole execution runs, and this activity's retries would start it again. As in
      // Kestra, it runs only where inputs are rendered, which is outside any workflow.
      return beating(async () => {
        if (name === "subflow") throw ApplicationFailure.nonRetryable(SUBFLOW_IN_WORKFLOW, SUBFLOW_REFUSED);
        const fn = ctx.functions(ctx.pool, tenantId)[name];
        if (!fn) throw new Error(`unknown function ${name}()`);
        return fn(args, named, { context });
      });
    },

    runningCount(input) {
      return beating(() => claimConcurrencySlot(ctx.pool, input));
    },

    createSubflow({ tenantId, command }) {
      return beating(async () => {
        // The core's checks (flow, revision, namespace boundary, inputs); the child is only stored here:
        // the parent workflow runs it as a child workflow, whose result is the parent's `subflowEnded`.
        const { ports: p, sent } = capturing(
          ports(tenantId),
          command.parentId,
          async (flow, request, options) => {
            const created = await createStoredExecution(ctx, tenantId, flow, request, options);
            return created.execution;
          },
        );
        await startSubflow(p, command);
        const failed = sent.find((event) => event.type === "subflowEnded");
        return failed?.type === "subflowEnded" && failed.error ? { error: failed.error } : {};
      });
    },

    splitItems({ tenantId, executionId, command }) {
      return beating(async () => {
        const { ports: p, sent } = capturing(ports(tenantId), executionId);
        await splitItems(p, executionId, command);
        const split = sent.find((event) => event.type === "itemsSplit");
        if (split?.type !== "itemsSplit") throw new Error(`execution ${executionId} not found`);
        return split;
      });
    },

    mergeSubflowOutputs({ tenantId, executionId, command }) {
      return beating(async () => {
        const { ports: p, sent } = capturing(ports(tenantId), executionId);
        const { type: _type, ...merge } = command;
        await mergeSubflowOutputs(p, executionId, merge);
        const merged = sent.find((event) => event.type === "subflowOutputsMerged");
        if (merged?.type !== "subflowOutputsMerged") throw new Error(`execution ${executionId} not found`);
        return merged;
      });
    },

    saveWorkingDirectory({ tenantId, executionId, command }) {
      return beating(async () => {
        const { execution } = await stored(ctx, executionId);
        const flow = await ctx.flows.ofExecution(ctx.pool, tenantId, execution);
        return saveStoredWorkingDirectory(ctx, tenantId, flow, execution, command);
      });
    },

    executionEnded({ tenantId, executionId }) {
      return beating(async () => {
        await executionEnded(ports(tenantId), executionId);
      });
    },

    retryExecution({ tenantId, executionId, attemptNumber }) {
      return beating(async () => {
        await retryExecution(ports(tenantId), executionId, attemptNumber);
      });
    },
  };
}
