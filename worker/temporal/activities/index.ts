import { Context } from "@temporalio/activity";
import { ExecutionOperationError, InputValidationError } from "@/engine/executor";
import { forEachTask } from "@/engine/flow";
import type { EngineContext } from "../../embedded/context";
import { withTransaction } from "../../embedded/db";
import { insertExecution, loadExecution, saveExecution } from "../../embedded/execution-store";
import { executorLogEntry, insertLogs } from "../../embedded/logs-store";
import type { LogEntry } from "../../logs";
import { subflowDenied } from "../../namespace-access";
import { splitContent } from "../../storage/split";
import { taskFileUri } from "../../storage/uris";
import { runTaskAttempt } from "../../task-runner";
import { createStoredExecution } from "./store";
import type { LoadedExecution, TemporalActivities } from "./types";

export { createStoredExecution } from "./store";
export type { LoadedExecution, TemporalActivities } from "./types";

const ACTIVE_STATES = ["RUNNING", "PAUSED", "RETRYING", "KILLING", "RESTARTED"];
const HEARTBEAT_EVERY_MS = 2_000;

/** What happens once an execution has ended, outside it (the shared driver core's "ended", as a port). */
export type EndedPort = (tenantId: string, executionId: string) => Promise<void>;

async function stored(ctx: EngineContext, executionId: string) {
  const found = await loadExecution(ctx.pool, executionId);
  if (!found) throw new Error(`execution ${executionId} not found`);
  return found;
}

/** The Temporal driver's activities over the embedded engine's stores (PostgreSQL, internal storage). */
export function createTemporalActivities(ctx: EngineContext, ended: EndedPort): TemporalActivities {
  return {
    async loadExecution({ tenantId, executionId }): Promise<LoadedExecution> {
      const { execution } = await stored(ctx, executionId);
      const flow = await ctx.flows.revision(
        ctx.pool,
        tenantId,
        execution.namespace,
        execution.flowId,
        execution.flowRevision,
      );
      const runnable = new Map<string, Set<string>>();
      forEachTask(flow, ctx.registry, ({ task }) => {
        const plugin = ctx.registry.get(task.type);
        if (!plugin || plugin.kind === "flowable") return;
        const names = runnable.get(plugin.type) ?? new Set<string>();
        names.add(task.type);
        runnable.set(plugin.type, names);
      });
      return {
        execution,
        flow,
        runnableTypes: [...runnable].map(([type, names]) => ({ type, names: [...names] })),
        functionNames: Object.keys(ctx.functions(ctx.pool, tenantId)),
      };
    },

    async persist({ tenantId, execution, logs }) {
      await withTransaction(ctx.pool, async (client) => {
        const before = await loadExecution(client, execution.id, { lock: true });
        if (before) {
          // A retried write of a step already written would add its logs twice: the document tells.
          if (JSON.stringify(before.execution) === JSON.stringify(execution)) return;
          await saveExecution(client, tenantId, before.execution, execution);
        } else await insertExecution(client, tenantId, execution);
        await insertLogs(
          client,
          tenantId,
          logs.map((log) => executorLogEntry(execution, log)),
        );
      });
    },

    async runTask({ tenantId, executionId, command }) {
      const { execution } = await stored(ctx, executionId);
      const flow = await ctx.flows.revision(
        ctx.pool,
        tenantId,
        execution.namespace,
        execution.flowId,
        execution.flowRevision,
      );
      const activity = Context.current();
      const controller = new AbortController();
      const onCancel = () => controller.abort();
      activity.cancellationSignal.addEventListener("abort", onCancel);
      const heartbeat = setInterval(() => activity.heartbeat(), HEARTBEAT_EVERY_MS);
      const logs: LogEntry[] = [];
      try {
        return await runTaskAttempt(
          flow,
          execution,
          command,
          {
            registry: ctx.registry,
            services: ctx.services(tenantId),
            functions: ctx.functions(ctx.pool, tenantId),
            namespaceAccess: ctx.namespaceAccess(ctx.pool, tenantId),
            now: () => ctx.now(),
            inputCipher: ctx.inputCipher,
            log: (entry) => logs.push(entry),
          },
          controller.signal,
        );
      } finally {
        clearInterval(heartbeat);
        activity.cancellationSignal.removeEventListener("abort", onCancel);
        await insertLogs(ctx.pool, tenantId, logs);
      }
    },

    async callFunction({ tenantId, name, args, named, context }) {
      const fn = ctx.functions(ctx.pool, tenantId)[name];
      if (!fn) throw new Error(`unknown function ${name}()`);
      return fn(args, named, { context });
    },

    async runningCount({ tenantId, namespace, flowId, executionId }) {
      const result = await ctx.pool.query(
        `select count(*)::int as count from executions
         where tenant_id = $1 and namespace = $2 and flow_id = $3 and state = any($4::state[]) and id <> $5`,
        [tenantId, namespace, flowId, ACTIVE_STATES, executionId],
      );
      return (result.rows[0] as { count: number }).count;
    },

    async createSubflow({ tenantId, command }) {
      const flow =
        command.revision !== undefined
          ? await ctx.flows
              .revision(ctx.pool, tenantId, command.namespace, command.flowId, command.revision)
              .catch(() => undefined)
          : await ctx.flows.current(ctx.pool, tenantId, command.namespace, command.flowId);
      if (!flow) return { error: `flow ${command.namespace}.${command.flowId} not found` };
      const denied = await subflowDenied(
        ctx.namespaceAccess(ctx.pool, tenantId),
        command.trigger.variables.namespace,
        command.namespace,
      );
      if (denied) return { error: denied };
      try {
        await createStoredExecution(
          ctx,
          tenantId,
          flow,
          {
            id: command.executionId,
            inputs: command.inputs,
            labels: command.labels,
            trigger: command.trigger,
            parentId: command.parentId,
            scheduleDate: command.scheduleDate,
          },
          command.wait
            ? { executionId: command.parentId, taskRunId: command.taskRunId, iteration: command.iteration }
            : undefined,
        );
        return {};
      } catch (error) {
        if (error instanceof InputValidationError)
          return { error: `invalid subflow inputs: ${error.message}` };
        if (error instanceof ExecutionOperationError) return { error: error.message };
        throw error;
      }
    },

    async splitItems({ tenantId, executionId, command }) {
      const { execution } = await stored(ctx, executionId);
      const storage = ctx.storage(tenantId);
      const run = execution.taskRunList.find((r) => r.id === command.taskRunId);
      try {
        const content = new TextDecoder().decode(await storage.get(command.uri));
        const batches: string[] = [];
        for (const [index, part] of splitContent(content, command).entries()) {
          const uri = taskFileUri(
            execution.namespace,
            execution.flowId,
            execution.id,
            run?.taskId ?? "items",
            command.taskRunId,
            `batch-${index + 1}.txt`,
          );
          batches.push(await storage.put(uri, part));
        }
        return { type: "itemsSplit", taskRunId: command.taskRunId, batches };
      } catch (error) {
        return {
          type: "itemsSplit",
          taskRunId: command.taskRunId,
          batches: [],
          error: `cannot split ${command.uri}: ${(error as Error).message}`,
        };
      }
    },

    async executionEnded({ tenantId, executionId }) {
      await ended(tenantId, executionId);
    },
  };
}
