import type { Client } from "@temporalio/client";
import { ExecutionOperationError } from "@/engine/executor";
import type { DriverPorts } from "../core";
import type { EngineContext } from "../embedded/context";
import { driverPorts } from "../embedded/ports";
import { createStoredExecution } from "./activities/store";
import { operateRun, startRun } from "./runs";

/**
 * The shared driver core's ports for the Temporal driver, for one tenant. The read model is the embedded
 * engine's PostgreSQL stores, so flows, triggers, preconditions, storage and logs are its ports as they
 * are; what differs is how an execution runs: `create` stores it and starts its workflow, `send` is an
 * update of that workflow. Used by activities (executionEnded, retryExecution), never in workflow code.
 *
 * - `parentOf` is undefined: a waiting parent learns of its child's end as the child workflow's result,
 *   so the core must not send it a second `subflowEnded`.
 * - `atomically` runs the work as is: a workflow start is not part of a database transaction. Creations
 *   are idempotent instead (the core's dedupe keys, the executor's child ids, REJECT_DUPLICATE starts).
 */
export function temporalDriverPorts(ctx: EngineContext, tenantId: string, client: Client): DriverPorts {
  const base = driverPorts(ctx, tenantId);
  const ports: DriverPorts = {
    ...base,
    executions: {
      ...base.executions,
      async send(id, event) {
        try {
          await operateRun(
            client,
            tenantId,
            id,
            event,
            async () => (await base.executions.get(id)) ?? undefined,
          );
          return undefined;
        } catch (error) {
          if (error instanceof ExecutionOperationError) return error.message;
          throw error;
        }
      },
      async create(flow, request, options = {}) {
        const created = await createStoredExecution(ctx, tenantId, flow, request, options);
        await startRun(
          client,
          { tenantId, executionId: created.execution.id, event: { type: "start" } },
          { ...(options.startAt ? { startAt: options.startAt } : {}), now: ctx.now() },
        );
        return created.inserted ? created.execution : undefined;
      },
      parentOf: async () => undefined,
    },
    atomically: (work) => work(ports),
  };
  return ports;
}
