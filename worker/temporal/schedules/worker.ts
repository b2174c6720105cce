import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client, Connection } from "@temporalio/client";
import { type bundleWorkflowCode, NativeConnection, Worker } from "@temporalio/worker";
import type { EngineContext } from "../../embedded/context";
import { cachedWorkflowBundle } from "../bundle-cache";
import { createScheduledRunActivities } from "./activities";
import { scheduleTaskQueueOf } from "./names";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..", "..");

let bundled: ReturnType<typeof bundleWorkflowCode> | undefined;

/** The scheduled-run workflow as Temporal's bundler builds it (once per process, or reused from disk). */
export function scheduledRunBundle(): ReturnType<typeof bundleWorkflowCode> {
  bundled ??= cachedWorkflowBundle({
    workflowsPath: path.join(here, "workflows", "index.ts"),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
    webpackConfigHook: (config) => {
      config.resolve ??= {};
      config.resolve.alias = { ...(config.resolve.alias as object), "@": root };
      return config;
    },
  });
  return bundled;
}

export interface ScheduleWorkerOptions {
  ctx: EngineContext;
  address: string;
  namespace: string;
  tenantIds: string[];
}

export interface RunningScheduleWorker {
  shutdown(): Promise<void>;
}

/**
 * The workers of the Schedules' runs, one per tenant's `cadenza-schedules-<tenant>` queue: run them beside
 * the execution workers (`cadenza server temporal-worker`). They only decide and create executions; the
 * executions themselves run on the execution workers' queues.
 */
export async function startScheduleWorker(options: ScheduleWorkerOptions): Promise<RunningScheduleWorker> {
  const connection = await NativeConnection.connect({ address: options.address });
  // Pausing a Schedule whose trigger got disabled at run time needs a client of its own.
  const clientConnection = await Connection.connect({ address: options.address });
  const client = new Client({ connection: clientConnection, namespace: options.namespace });
  const activities = createScheduledRunActivities(options.ctx, client);
  const workflowBundle = await scheduledRunBundle();
  const workers = await Promise.all(
    options.tenantIds.map((tenantId) =>
      Worker.create({
        connection,
        namespace: options.namespace,
        taskQueue: scheduleTaskQueueOf(tenantId),
        workflowBundle,
        activities,
      }),
    ),
  );
  const runs = workers.map((worker) => worker.run());
  return {
    async shutdown() {
      for (const worker of workers) if (worker.getState() === "RUNNING") worker.shutdown();
      await Promise.allSettled(runs);
      await connection.close();
      await clientConnection.close();
    },
  };
}
