import { afterAll, beforeAll } from "vitest";
import { loadFlow } from "@/engine/flow";
import type { Plugin } from "@/engine/plugin";
import { PluginRegistry } from "@/engine/plugin";
import { builtInPlugins } from "@/plugins";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { MemoryStorage } from "../../storage/memory";
import { EngineClient } from "../api";
import type { EngineContext } from "../context";
import { type ContextOptions, createEngineContext } from "../create-context";
import { createPool, type Db, withTransaction } from "../db";
import { saveFlowRevision } from "../flows-admin";
import { type EngineRuntimeOptions, prepareQueue, type RunningEngine, startEngineRuntime } from "../runtime";

export const TENANT = "tenant-main";

export interface EmbeddedHarness {
  readonly database: TestDatabase;
  readonly pool: Db;
  readonly ctx: EngineContext;
  readonly client: EngineClient;
  deploy(yaml: string, tenantId?: string): Promise<void>;
  startRuntime(options?: Partial<EngineRuntimeOptions>): Promise<RunningEngine>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * A migrated database of its own for the test file, the queue schema, one tenant, an engine context and
 * client, and engine runtimes started on demand (all stopped after the file).
 */
export function setUpEmbeddedEngine(
  options: {
    plugins?: Plugin[];
    inlineTasks?: boolean;
    now?: () => Date;
    secret?: ContextOptions["secret"];
    secretValues?: ContextOptions["secretValues"];
    processRunner?: ContextOptions["processRunner"];
    inputCipher?: ContextOptions["inputCipher"];
    httpPolicy?: ContextOptions["httpPolicy"];
    publicUrl?: ContextOptions["publicUrl"];
  } = {},
): EmbeddedHarness {
  let database: TestDatabase | undefined;
  let pool: Db | undefined;
  let ctx: EngineContext | undefined;
  let client: EngineClient | undefined;
  const runtimes: RunningEngine[] = [];
  const registry = new PluginRegistry([...builtInPlugins, ...(options.plugins ?? [])]);

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = createPool(database.url, 20);
    ctx = createEngineContext({
      pool,
      registry,
      storage: new MemoryStorage(),
      inlineTasks: options.inlineTasks,
      now: options.now,
      secret: options.secret,
      secretValues: options.secretValues,
      processRunner: options.processRunner,
      inputCipher: options.inputCipher,
      httpPolicy: options.httpPolicy,
      publicUrl: options.publicUrl,
      report: () => {},
    });
    await prepareQueue(ctx);
    await pool.query(
      "insert into tenants (id, slug, name, updated_at) values ($1, 'main', 'Main', now()), ('tenant-other', 'other', 'Other', now())",
      [TENANT],
    );
    client = new EngineClient(ctx);
  }, 60_000);

  afterAll(async () => {
    for (const runtime of runtimes.reverse()) await runtime.stop();
    await client?.close();
    await pool?.end();
    await database?.drop();
  }, 60_000);

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} exists only inside tests`);
    return value;
  };
  return {
    get database() {
      return need(database, "the database");
    },
    get pool() {
      return need(pool, "the pool");
    },
    get ctx() {
      return need(ctx, "the context");
    },
    get client() {
      return need(client, "the client");
    },
    async deploy(yaml, tenantId = TENANT) {
      const { flow, errors } = loadFlow(yaml, { registry });
      if (!flow) throw new Error(errors.map((e) => `${e.line}:${e.column} ${e.message}`).join("\n"));
      await withTransaction(need(pool, "the pool"), (c) =>
        saveFlowRevision(c, registry, tenantId, flow, yaml),
      );
    },
    async startRuntime(overrides = {}) {
      const runtime = await startEngineRuntime(need(ctx, "the context"), {
        version: "test",
        concurrency: 8,
        pollIntervalMs: 100,
        schedulerIntervalMs: 200,
        heartbeatMs: 500,
        staleAfterMs: 3_000,
        retentionDays: 0,
        shutdownGraceMs: 500,
        ...overrides,
      });
      runtimes.push(runtime);
      return runtime;
    },
    async query(sql, params = []) {
      return (await need(pool, "the pool").query(sql, params)).rows;
    },
  };
}

/** Reads until `done` holds or `timeoutMs` passes (then returns the last value read, for the assertion). */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
