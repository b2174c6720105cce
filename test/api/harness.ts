// The API in-process, on a database of its own: the REST handler called with Request objects (exactly
// what the Next route handler passes it), tRPC through its server-side caller, an engine (with a runtime
// when asked) wired to the encrypted secrets, and helpers to make tenants, users and tokens.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { FileStorage, HttpPolicy } from "@/engine/plugin";
import { createCaller } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { bootstrapAdmin, createUserToken } from "@/server/auth/bootstrap";
import type { SessionUser } from "@/server/auth/principal";
import { type EngineMode, openServerEngine, type ServerEngine } from "@/server/engine";
import { handleRest } from "@/server/rest/handler";
import { router } from "@/server/rest/routes";
import { secretKey } from "@/server/secrets/crypto";
import { useSecretKey } from "@/server/secrets/key";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import type { LocalProcessRunnerOptions } from "@/worker/runners";

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body as JSON, when it is JSON. */
  json: unknown;
}

export interface CallOptions {
  token?: string;
  /** A session user (as the Auth.js cookie would give). */
  session?: SessionUser;
  body?: unknown;
  /** Sent as is (a string) or as JSON. */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface ApiHarness {
  readonly database: TestDatabase;
  /** The server's data directory (its local internal storage is `storage/` in it). */
  readonly dataDir: string;
  readonly engine: ServerEngine;
  /** Calls /api/v1/<path> (path starts with the tenant slug). */
  call(method: string, path: string, options?: CallOptions): Promise<ApiResponse>;
  /** The raw Response (streams). */
  fetch(method: string, path: string, options?: CallOptions & { signal?: AbortSignal }): Promise<Response>;
  trpc(auth: { token?: string; session?: SessionUser }): Promise<ReturnType<typeof createCaller>>;
  /** An Admin of a new (or existing) tenant, with a token. */
  admin(tenant: string, email: string): Promise<{ userId: string; tenantId: string; token: string }>;
  token(tenant: string, email: string, options?: { expiresInMs?: number }): Promise<string>;
  deploy(tenant: string, token: string, yaml: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export const TEST_SECRET_KEY = secretKey(randomBytes(32));

export function setUpApi(
  options: {
    runtime?: boolean;
    /** The engine that runs executions (default embedded), read when the harness starts. */
    mode?: () => EngineMode;
    /** The internal storage (default: a local one in the data directory), read when the harness starts. */
    storage?: () => FileStorage;
    /** The outbound-address policy of HTTP and git tasks (default: the environment's). */
    httpPolicy?: HttpPolicy;
    /** The script runner's settings (default: the environment's CADENZA_SCRIPT_*). */
    scripts?: LocalProcessRunnerOptions;
  } = {},
): ApiHarness {
  let database: TestDatabase | undefined;
  let engine: ServerEngine | undefined;
  let dataDir: string | undefined;

  beforeAll(async () => {
    useSecretKey(TEST_SECRET_KEY);
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), "cadenza-api-"));
    engine = await openServerEngine({
      ...(options.mode ? { mode: options.mode() } : {}),
      ...(options.storage ? { storage: options.storage() } : {}),
      ...(options.httpPolicy ? { httpPolicy: options.httpPolicy } : {}),
      ...(options.scripts ? { scripts: options.scripts } : {}),
      databaseUrl: database.url,
      dataDir,
      poolSize: 10,
      secretKey: TEST_SECRET_KEY,
      report: () => {},
    });
    if (options.runtime)
      await engine.startRuntime({
        version: "test",
        concurrency: 4,
        pollIntervalMs: 100,
        scheduler: false,
        heartbeatMs: 500,
        staleAfterMs: 3_000,
        retentionDays: 0,
        shutdownGraceMs: 500,
      });
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("setUpApi(): use it inside tests");
    return value;
  };

  const request = (method: string, url: string, options: CallOptions & { signal?: AbortSignal } = {}) => {
    const headers = new Headers(options.headers);
    if (options.token) headers.set("authorization", `Bearer ${options.token}`);
    let body: BodyInit | undefined;
    if (options.body !== undefined) {
      if (typeof options.body === "string" || options.body instanceof FormData) body = options.body;
      else body = JSON.stringify(options.body);
      if (!(options.body instanceof FormData))
        headers.set(
          "content-type",
          options.contentType ??
            (typeof options.body === "string" ? "application/x-yaml" : "application/json"),
        );
    }
    return handleRest(
      new Request(`http://cadenza.test/api/v1/${url}`, { method, headers, body, signal: options.signal }),
      {
        db: need(database).db,
        engine: async () => need(engine),
        session: async () => options.session ?? null,
        router,
      },
    );
  };

  const harness: ApiHarness = {
    get database() {
      return need(database);
    },
    get engine() {
      return need(engine);
    },
    get dataDir() {
      return need(dataDir);
    },
    async call(method, url, options = {}) {
      const response = await request(method, url, options);
      const text = await response.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, text, json };
    },
    fetch: request,
    async trpc(auth) {
      const headers = new Headers();
      if (auth.token) headers.set("authorization", `Bearer ${auth.token}`);
      const context = await createTRPCContext({
        headers,
        db: need(database).db,
        engine: async () => need(engine),
        session: async () => auth.session ?? null,
      });
      return createCaller(context);
    },
    async admin(tenant, email) {
      const result = await bootstrapAdmin(need(database).db, {
        tenantSlug: tenant,
        email,
        password: "correct horse battery",
      });
      return { userId: result.userId, tenantId: result.tenantId, token: await harness.token(tenant, email) };
    },
    async token(tenant, email, tokenOptions = {}) {
      const created = await createUserToken(need(database).db, {
        tenantSlug: tenant,
        email,
        name: "test",
        ...(tokenOptions.expiresInMs !== undefined ? { expiresInMs: tokenOptions.expiresInMs } : {}),
      });
      return created.token;
    },
    async deploy(tenant, token, yaml) {
      const response = await harness.call("POST", `${tenant}/flows`, { token, body: yaml });
      if (response.status !== 200) throw new Error(`deploy failed: ${response.status} ${response.text}`);
    },
    async query(sql, params = []) {
      return (await need(engine).ctx.pool.query(sql, params)).rows;
    },
  };
  return harness;
}
