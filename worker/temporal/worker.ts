import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@temporalio/client";
import { type bundleWorkflowCode, NativeConnection, Worker } from "@temporalio/worker";
import type { EngineContext } from "../embedded/context";
import { createTemporalActivities } from "./activities";
import { cachedWorkflowBundle } from "./bundle-cache";
import { clientConnection, nativeConnectionOptions, type TemporalConnectionOptions } from "./connection";
import { taskQueueOf } from "./names";
import { registeredSearchAttributes } from "./search-attributes";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
export const workflowsPath = path.join(here, "workflows", "index.ts");

let bundled: ReturnType<typeof bundleWorkflowCode> | undefined;

/**
 * The workflow code as Temporal's bundler builds it (~2 s of CPU, once per process, and reused from disk
 * while its sources are unchanged): the bundler refuses Node built-ins, so a workflow that imports I/O
 * does not even load. `@/` is the project's import alias.
 */
export function workflowBundle(): ReturnType<typeof bundleWorkflowCode> {
  bundled ??= cachedWorkflowBundle({
    workflowsPath,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
    webpackConfigHook: (config) => {
      config.resolve ??= {};
      config.resolve.alias = { ...(config.resolve.alias as object), "@": root };
      return config;
    },
  });
  return bundled;
}

export interface TemporalWorkerOptions extends TemporalConnectionOptions {
  ctx: EngineContext;
  /**
   * One worker per tenant's task queue: these tenants, or every tenant of the database, looked up again
   * every `tenantRefreshMs` so a tenant created later (a sign-up) gets its worker without a restart.
   */
  tenantIds: string[] | "all";
  tenantRefreshMs?: number;
  /** Task attempts one worker runs at once. */
  concurrency?: number;
  /**
   * History events after which an execution's workflow continues as a new run (CADENZA_TEMPORAL_HISTORY_LIMIT;
   * default names.ts's DEFAULT_HISTORY_LIMIT). Temporal's own suggestion (continueAsNewSuggested) applies too.
   */
  historyLimit?: number;
}

export interface RunningTemporalWorker {
  /** Stops polling, waits for running activities, closes the connection. */
  shutdown(): Promise<void>;
}

async function allTenants(ctx: EngineContext): Promise<string[]> {
  const rows = (await ctx.pool.query("select id from tenants order by id")).rows as { id: string }[];
  return rows.map((row) => row.id);
}

/** Starts the Temporal workers of a process (`cadenza server temporal-worker`): one per tenant queue. */
export async function startTemporalWorker(options: TemporalWorkerOptions): Promise<RunningTemporalWorker> {
  const connection = await NativeConnection.connect(nativeConnectionOptions(options));
  // Activities start and operate other executions' workflows (Flow triggers, queued executions, retries)
  // with a client of their own: the activity context's client over a NativeConnection is experimental.
  const clientConn = await clientConnection(options);
  const client = new Client({ connection: clientConn, namespace: options.namespace });
  const searchAttributes = await registeredSearchAttributes(
    clientConn,
    options.namespace,
    options.ctx.report,
  );
  const activities = createTemporalActivities(options.ctx, () => client, {
    searchAttributes,
    ...(options.historyLimit ? { historyLimit: options.historyLimit } : {}),
  });
  const workflowBundleCode = await workflowBundle();
  const workers = new Map<string, { worker: Worker; run: Promise<void> }>();
  let stopping = false;
  const addWorkers = async (tenantIds: string[]) => {
    for (const tenantId of tenantIds) {
      if (workers.has(tenantId) || stopping) continue;
      const worker = await Worker.create({
        connection,
        namespace: options.namespace,
        taskQueue: taskQueueOf(tenantId),
        workflowBundle: workflowBundleCode,
        activities,
        maxConcurrentActivityTaskExecutions: options.concurrency ?? 10,
        // A stopping worker (a deploy) lets its running task attempts finish for this long; those still
        // running are then cancelled and the workflow runs them again elsewhere (WORKER_SHUTDOWN).
        shutdownGraceTime: "10 seconds",
      });
      workers.set(tenantId, { worker, run: worker.run() });
    }
  };
  await addWorkers(options.tenantIds === "all" ? await allTenants(options.ctx) : options.tenantIds);
  const refresh =
    options.tenantIds === "all"
      ? setInterval(() => {
          allTenants(options.ctx)
            .then(addWorkers)
            .catch((error) => options.ctx.report("could not start the workers of new tenants", error));
        }, options.tenantRefreshMs ?? 10_000)
      : undefined;
  return {
    async shutdown() {
      stopping = true;
      clearInterval(refresh);
      for (const { worker } of workers.values()) if (worker.getState() === "RUNNING") worker.shutdown();
      await Promise.allSettled([...workers.values()].map((w) => w.run));
      await connection.close();
      await clientConn.close();
    },
  };
}
