import { ExecutionOperationError } from "@/engine/executor";
import type { DriverPorts } from "../core";
import {
  applyEvent,
  applyEventInTransaction,
  createAndStart,
  createAndStartInTransaction,
  ExecutionNotFoundError,
} from "./apply";
import { lockFlowConcurrency, requeueGiven, takeQueued } from "./concurrency";
import type { EngineContext } from "./context";
import { type DbClient, withTransaction } from "./db";
import { loadExecution } from "./execution-store";
import { StoredFlowError } from "./flow-store";
import { insertLogs } from "./logs-store";
import { databasePreconditionStore } from "./precondition-store";
import { disabledTriggers } from "./services";

/**
 * The shared driver core's ports on PostgreSQL, for one tenant. Without `client`, each write is its own
 * transaction and `atomically` opens one; with it, everything happens in that transaction.
 */
export function driverPorts(ctx: EngineContext, tenantId: string, client?: DbClient): DriverPorts {
  const db = client ?? ctx.pool;
  const inTransaction = <T>(work: (c: DbClient) => Promise<T>) =>
    client ? work(client) : withTransaction(ctx.pool, work);
  const ports: DriverPorts = {
    executions: {
      async get(id) {
        const stored = await loadExecution(db, id);
        return stored?.tenantId === tenantId ? stored.execution : undefined;
      },
      async send(id, event) {
        try {
          if (client) await applyEventInTransaction(ctx, client, id, event);
          else await applyEvent(ctx, id, event);
          return undefined;
        } catch (error) {
          if (error instanceof ExecutionOperationError || error instanceof ExecutionNotFoundError)
            return error.message;
          throw error;
        }
      },
      // Without a transaction of the caller's, inputs are rendered before one opens (see createAndStart).
      create: (flow, request, options) =>
        client
          ? createAndStartInTransaction(ctx, client, tenantId, flow, request, options)
          : createAndStart(ctx, tenantId, flow, request, options),
      async parentOf(execution) {
        return (await loadExecution(db, execution.id))?.parentLink ?? undefined;
      },
      // Under the flow's concurrency lock: a start that counted the ended execution as running and is
      // queueing has committed its QUEUED by then, so it is woken, not left queued behind a free slot.
      queuedToStart: (namespace, flowId, limit) =>
        inTransaction(async (c) => {
          const key = { tenantId, namespace, flowId };
          await lockFlowConcurrency(c, key);
          return takeQueued(c, key, limit);
        }),
      requeue: (executionId) => requeueGiven(db, executionId),
    },
    flows: {
      async get(namespace, flowId, revision) {
        if (revision === undefined) return ctx.flows.current(db, tenantId, namespace, flowId);
        try {
          return await ctx.flows.revision(db, tenantId, namespace, flowId, revision);
        } catch (error) {
          if (error instanceof StoredFlowError) return undefined;
          throw error;
        }
      },
      async withFlowTriggers() {
        const disabled = await disabledTriggers(db, tenantId);
        return (await ctx.flows.withTrigger(db, tenantId, "core.trigger.Flow")).map((f) => ({
          ...f,
          triggers: f.triggers.map((t) =>
            disabled.has(`${f.namespace}/${f.id}/${t.id}`) ? { ...t, disabled: true } : t,
          ),
        }));
      },
      async disableTrigger(namespace, flowId, triggerId) {
        // Upserted: a trigger without a state row (a Flow trigger) is disabled too.
        await db.query(
          `insert into trigger_states (tenant_id, namespace, flow_id, trigger_id, disabled, updated_at) values ($1, $2, $3, $4, true, now())
           on conflict (tenant_id, namespace, flow_id, trigger_id) do update set disabled = true, updated_at = now()`,
          [tenantId, namespace, flowId, triggerId],
        );
      },
    },
    preconditions: databasePreconditionStore(db),
    access: ctx.namespaceAccess(db, tenantId),
    storage: ctx.storage(tenantId),
    render: {
      registry: ctx.registry,
      functions: ctx.functions(db, tenantId),
      ...(ctx.inputCipher ? { inputCipher: ctx.inputCipher } : {}),
    },
    now: () => ctx.now(),
    random: () => ctx.random(),
    async log(execution, level, message) {
      await insertLogs(db, tenantId, [
        {
          executionId: execution.id,
          namespace: execution.namespace,
          flowId: execution.flowId,
          level,
          message,
          timestamp: ctx.now().toISOString(),
        },
      ]);
    },
    releaseExecution: async (id) => {
      await ctx.processRunner.releaseShared?.(id);
    },
    report: (message, error) => ctx.report(message, error),
    atomically: (work) => inTransaction((c) => work(client ? ports : driverPorts(ctx, tenantId, c))),
  };
  return ports;
}
