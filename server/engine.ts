// Assembles the embedded engine of a server process from its configuration: the database pool, internal
// storage, plugins, secrets. `cadenza start`, `cadenza server engine` and `cadenza flow run` share it.
import path from "node:path";
import { Client as TemporalClient } from "@temporalio/client";
import type { FileStorage, HttpPolicy } from "@/engine/plugin";
import { builtInRegistry } from "@/plugins";
import {
  type ContextOptions,
  createEngineContext,
  createPool,
  EngineClient,
  type EngineContext,
  type EngineRuntimeOptions,
  prepareQueue,
  type RunningEngine,
  startEngineRuntime,
} from "@/worker/embedded";
import { LocalProcessRunner, type LocalProcessRunnerOptions, parseUidRange } from "@/worker/runners";
// Files, not worker/temporal's index: the web process must not load the Temporal worker (its bundler).
import { clientConnection, type TemporalConnectionOptions } from "@/worker/temporal/connection";
import { temporalRunner } from "@/worker/temporal/runner";
import { type TemporalScheduleService, temporalScheduleService } from "@/worker/temporal/schedules/service";
import { createPrismaClient, type PrismaClient } from "./db/client";
import { type Env, env, environmentSecret, httpPolicyFrom } from "./env";
import { CadenzaError } from "./errors";
import { secureDataDirectory, securePrivateDirectory } from "./runtime/data-dir";
import type { SecretKey } from "./secrets/crypto";
import { databaseSecrets } from "./secrets/engine";
import { inputCipher } from "./secrets/input-cipher";
import { taskFlowService } from "./services/flow-task-service";
import { syncFlowSchedules } from "./services/schedules";
import { serverStorage, storageConfigFrom } from "./storage";
import { version } from "./version";

/**
 * Which engine runs executions (CADENZA_ENGINE): the embedded one, or Temporal workflows on a Temporal
 * server. The read model is PostgreSQL in both, so only starting and operating executions differ: the
 * EngineClient's runner. This is the one place a server process picks it (`engineModeFrom`).
 */
export type EngineMode = { kind: "embedded" } | { kind: "temporal"; temporal: TemporalConnectionOptions };

/** Temporal's connection settings from the validated environment (`address` overrides TEMPORAL_ADDRESS). */
export function temporalConnectionFrom(
  settings: Pick<
    Env,
    | "TEMPORAL_ADDRESS"
    | "TEMPORAL_NAMESPACE"
    | "TEMPORAL_TLS"
    | "TEMPORAL_TLS_CA_FILE"
    | "TEMPORAL_TLS_CERT_FILE"
    | "TEMPORAL_TLS_KEY_FILE"
    | "TEMPORAL_TLS_SERVER_NAME"
    | "TEMPORAL_API_KEY"
  >,
  address = settings.TEMPORAL_ADDRESS,
): TemporalConnectionOptions {
  if (!address)
    throw new CadenzaError(
      "CADENZA_ENGINE=temporal needs TEMPORAL_ADDRESS (host:port of the Temporal frontend); `cadenza start --engine temporal` starts a local one when it is unset.",
    );
  const files =
    settings.TEMPORAL_TLS_CA_FILE || settings.TEMPORAL_TLS_CERT_FILE || settings.TEMPORAL_TLS_SERVER_NAME;
  const tls = settings.TEMPORAL_TLS ?? Boolean(files || settings.TEMPORAL_API_KEY);
  return {
    address,
    namespace: settings.TEMPORAL_NAMESPACE,
    ...(tls
      ? {
          tls: {
            ...(settings.TEMPORAL_TLS_CA_FILE ? { caFile: settings.TEMPORAL_TLS_CA_FILE } : {}),
            ...(settings.TEMPORAL_TLS_CERT_FILE ? { certFile: settings.TEMPORAL_TLS_CERT_FILE } : {}),
            ...(settings.TEMPORAL_TLS_KEY_FILE ? { keyFile: settings.TEMPORAL_TLS_KEY_FILE } : {}),
            ...(settings.TEMPORAL_TLS_SERVER_NAME ? { serverName: settings.TEMPORAL_TLS_SERVER_NAME } : {}),
          },
        }
      : {}),
    ...(settings.TEMPORAL_API_KEY ? { apiKey: settings.TEMPORAL_API_KEY } : {}),
  };
}

/** The engine mode of a server process, from the validated environment. */
export function engineModeFrom(settings: Env = env): EngineMode {
  return settings.CADENZA_ENGINE === "temporal"
    ? { kind: "temporal", temporal: temporalConnectionFrom(settings) }
    : { kind: "embedded" };
}

export interface ServerEngine {
  ctx: EngineContext;
  client: EngineClient;
  mode: EngineMode;
  /**
   * Temporal mode: Schedule triggers as Temporal Schedules (worker/temporal/schedules), kept in sync by the
   * services after each flow or trigger change, and the backfills; undefined on the embedded engine.
   */
  schedules?: TemporalScheduleService;
  /**
   * Starts this process's share of the engine: queue workers, scheduler and heartbeat (embedded); in
   * Temporal mode the Temporal workers of every tenant's task queue, beside the embedded runtime's
   * heartbeat and retention only (its scheduler stays off: Schedules are Temporal's, worker/temporal), and
   * unless `scheduler` is false the Schedules' workers, with every Schedule synced to the stored flows, and
   * the polling triggers' pass (worker/temporal/polling.ts).
   */
  startRuntime(options?: Partial<EngineRuntimeOptions>): Promise<RunningEngine>;
  /** Stops runtimes started here and closes the pool. */
  close(): Promise<void>;
}

export async function openServerEngine(options: {
  databaseUrl: string;
  dataDir: string;
  /** The internal storage; default CADENZA_STORAGE's (server/storage.ts), local under `dataDir`. */
  storage?: FileStorage;
  poolSize?: number;
  inlineTasks?: boolean;
  report?: (message: string, error?: unknown) => void;
  /**
   * The key of the encrypted secrets (server/secrets): secret() then reads the tenant's secrets from the
   * namespace up its parents, and every secret value of the tenant is masked in logs, outputs and errors.
   * Server processes always give it; without it (`cadenza flow run`), secret() reads SECRET_<NAME> variables.
   */
  secretKey?: SecretKey | (() => SecretKey);
  /** Secret lookup for secret() (tenant, namespace, name), overriding the above. */
  secret?: (tenantId: string, namespace: string, name: string) => Promise<string | undefined>;
  /** A tenant's secret values, masked in logs and outputs, overriding the above. */
  secretValues?: ContextOptions["secretValues"];
  /**
   * Where HTTP tasks and triggers may connect, for every tenant. Default: CADENZA_HTTP_ALLOWED_NETWORKS and
   * CADENZA_HTTP_PRIVATE_NETWORKS (non-public addresses refused unless they say otherwise).
   */
  httpPolicy?: HttpPolicy;
  /** The web UI's URL, for links in notifications; default CADENZA_PUBLIC_URL. */
  publicUrl?: string;
  /** The script runner's settings; by default from CADENZA_SCRIPT_* (isolation, network, uids). */
  scripts?: LocalProcessRunnerOptions;
  /** Which engine runs executions (default: embedded; server processes pass engineModeFrom(env)). */
  mode?: EngineMode;
}): Promise<ServerEngine> {
  const mode: EngineMode = options.mode ?? { kind: "embedded" };
  const storageConfig = options.storage ? undefined : storageConfigFrom(env, options.dataDir);
  if (storageConfig) await secureDataDirectory(options.dataDir);
  if (storageConfig?.type === "local" && storageConfig.root !== path.join(options.dataDir, "storage"))
    await securePrivateDirectory(storageConfig.root, 0o700, (message) => options.report?.(message));
  const storage = options.storage ?? serverStorage(storageConfig);
  const pool = createPool(options.databaseUrl, options.poolSize ?? 20);
  const httpPolicy = options.httpPolicy ?? httpPolicyFrom(env);
  const key = options.secretKey;
  const stored = key
    ? databaseSecrets(pool, typeof key === "function" ? key : () => key, (message) =>
        options.report?.(message),
      )
    : undefined;
  // Set once the Temporal client exists: the flow service of tasks syncs Schedules after a change, as the API's.
  let schedules: TemporalScheduleService | undefined;
  // The tenant-scoped client the flow service of tasks writes through (with the audit entry, in one
  // transaction), opened on first use.
  let prisma: PrismaClient | undefined;
  const db = () => {
    prisma ??= createPrismaClient(options.databaseUrl);
    return prisma;
  };
  const ctx: EngineContext = createEngineContext({
    pool,
    registry: builtInRegistry(),
    flows: (tenantId) =>
      taskFlowService(ctx, db, tenantId, (flow) =>
        syncFlowSchedules({ ctx, ...(schedules ? { schedules } : {}) }, tenantId, flow),
      ),
    storage,
    secret:
      options.secret ?? stored?.secret ?? (async (_tenant, _namespace, name) => environmentSecret(name)),
    secretValues: options.secretValues ?? stored?.secretValues,
    // SECRET inputs are sealed with the same key; without one (`cadenza flow run`) they stay as given.
    ...(key ? { inputCipher: inputCipher(typeof key === "function" ? key : () => key) } : {}),
    inlineTasks: options.inlineTasks,
    report: options.report,
    httpPolicy: () => httpPolicy,
    publicUrl: options.publicUrl ?? env.CADENZA_PUBLIC_URL,
    processRunner: new LocalProcessRunner(options.scripts ?? scriptRunnerOptionsFrom(env)),
  });
  try {
    await prepareQueue(ctx);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const runtimes: RunningEngine[] = [];
  const temporal =
    mode.kind === "temporal"
      ? await clientConnection(mode.temporal).catch(async (error) => {
          await pool.end();
          throw error;
        })
      : undefined;
  const temporalClient =
    mode.kind === "temporal" && temporal
      ? new TemporalClient({ connection: temporal, namespace: mode.temporal.namespace })
      : undefined;
  const client = temporalClient
    ? new EngineClient(ctx, temporalRunner(ctx, temporalClient))
    : new EngineClient(ctx);
  schedules = temporalClient ? temporalScheduleService(ctx, temporalClient) : undefined;
  return {
    ctx,
    client,
    mode,
    ...(schedules ? { schedules } : {}),
    async startRuntime(overrides = {}) {
      if (mode.kind === "embedded") {
        const runtime = await startEngineRuntime(ctx, { version, ...overrides });
        runtimes.push(runtime);
        return runtime;
      }
      const { startTemporalWorker } = await import("@/worker/temporal/worker");
      const base = await startEngineRuntime(ctx, { version, ...overrides, scheduler: false, concurrency: 1 });
      runtimes.push(base);
      const workers = await startTemporalWorker({
        ctx,
        ...mode.temporal,
        tenantIds: "all",
        concurrency: overrides.concurrency ?? 10,
        ...(env.CADENZA_TEMPORAL_HISTORY_LIMIT ? { historyLimit: env.CADENZA_TEMPORAL_HISTORY_LIMIT } : {}),
      }).catch(async (error) => {
        await base.stop();
        throw error;
      });
      // A one-off run (`cadenza flow run`, scheduler: false) starts no schedules, as on the embedded engine:
      // no scheduled-run workers, and the Temporal Schedules are left as the servers keep them.
      if (overrides.scheduler === false) {
        const runtime: RunningEngine = {
          instanceId: base.instanceId,
          async stop() {
            await workers.shutdown();
            await base.stop();
          },
        };
        runtimes.push(runtime);
        return runtime;
      }
      // Schedule triggers: the scheduled-run workers of the tenants there are now, and every Schedule
      // brought in line with the stored flows (a flow saved while no server ran is caught up here).
      const tenantIds = (await ctx.pool.query<{ id: string }>("select id from tenants")).rows.map(
        (r) => r.id,
      );
      const { startScheduleWorker } = await import("@/worker/temporal/schedules/worker");
      const scheduleWorkers = await startScheduleWorker({ ctx, ...mode.temporal, tenantIds }).catch(
        async (error) => {
          await workers.shutdown();
          await base.stop();
          throw error;
        },
      );
      for (const tenantId of tenantIds)
        await schedules
          ?.syncTenant(tenantId)
          .catch((error) => ctx.report(`Schedules of tenant ${tenantId} could not be synced`, error));
      // Polling triggers: the embedded scheduler's pass, polls only, starting workflows (worker/temporal).
      const { startTemporalPolling } = await import("@/worker/temporal/polling");
      const polling = temporalClient ? startTemporalPolling(ctx, temporalClient) : undefined;
      const runtime: RunningEngine = {
        instanceId: base.instanceId,
        async stop() {
          await polling?.stop();
          await scheduleWorkers.shutdown();
          await workers.shutdown();
          await base.stop();
        },
      };
      runtimes.push(runtime);
      return runtime;
    },
    async close() {
      for (const runtime of runtimes.splice(0).reverse()) await runtime.stop();
      await client.close();
      await temporal?.close();
      await prisma?.$disconnect();
      await pool.end();
    },
  };
}

/** The tenant of a standalone installation and of the CLI: `main`, as in Kestra's open-source edition. */
export async function ensureDefaultTenant(engine: ServerEngine): Promise<string> {
  await engine.ctx.pool.query(
    "insert into tenants (id, slug, name, updated_at) values ('main', 'main', 'Main', now()) on conflict do nothing",
  );
  const row = (await engine.ctx.pool.query("select id from tenants where slug = 'main'")).rows[0] as {
    id: string;
  };
  return row.id;
}

/** The script runner's settings, from the validated environment. */
export function scriptRunnerOptionsFrom(
  settings: Pick<Env, "CADENZA_SCRIPT_ISOLATION" | "CADENZA_SCRIPT_NETWORK" | "CADENZA_SCRIPT_UID_RANGE">,
): LocalProcessRunnerOptions {
  return {
    isolation: settings.CADENZA_SCRIPT_ISOLATION === "on",
    network: settings.CADENZA_SCRIPT_NETWORK,
    uidRange: parseUidRange(settings.CADENZA_SCRIPT_UID_RANGE),
  };
}

/** The runtime settings of an engine process, from the validated environment. */
export function runtimeOptionsFrom(env: {
  CADENZA_WORKER_CONCURRENCY: number;
  CADENZA_RETENTION_DAYS: number;
}): Partial<EngineRuntimeOptions> {
  return { concurrency: env.CADENZA_WORKER_CONCURRENCY, retentionDays: env.CADENZA_RETENTION_DAYS };
}

/**
 * One line for `cadenza start`: whether scripts will run, and how. Runs the runner's one-time sandbox probe
 * now, so an operator learns at start — not from the first failed task — that bubblewrap is missing.
 */
export async function scriptsStatus(engine: ServerEngine): Promise<string> {
  const runner = engine.ctx.processRunner;
  if (!(runner instanceof LocalProcessRunner)) return "run by a custom process runner";
  if (env.CADENZA_SCRIPT_ISOLATION === "off")
    return "NOT isolated (CADENZA_SCRIPT_ISOLATION=off): every tenant's scripts can see each other";
  try {
    await runner.runAs();
    return `each attempt in its own bubblewrap sandbox (network: ${env.CADENZA_SCRIPT_NETWORK})`;
  } catch (error) {
    return `refused until this is fixed: ${(error as Error).message}`;
  }
}
