// Loads Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm).
//
// Why: the Prisma 7 CLI's migrate commands need a native schema engine that it downloads at run
// time, which cannot work on machines that reach only the npm registry. npm ships the same engine
// as WebAssembly; it talks to PostgreSQL through the same driver adapter as our queries
// (@prisma/adapter-pg). See ../shared/notes/offline-stack.md and server/db/migrate.ts.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import pg from "pg";

type Bindings = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");

// One instance per process, kept on globalThis: the JS glue module is a singleton bound to one
// WebAssembly instance, so a second instance (e.g. after a test runner reloads this module) would
// rebind it under the first one's pending timers and corrupt both.
const cache = globalThis as typeof globalThis & { __cadenzaSchemaEngine?: Promise<Bindings> };

/** Instantiates the WebAssembly module once per process (~5 MB, ~100 ms). */
function loadBindings(): Promise<Bindings> {
  cache.__cadenzaSchemaEngine ??= (async () => {
    const require = createRequire(import.meta.url);
    const jsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = jsPath.replace(/\.js$/, ".wasm");
    const glue = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as Bindings;
    const imports: WebAssembly.ModuleImports = { ...(glue as unknown as WebAssembly.ModuleImports) };
    // The engine arms timers for its own timeouts (e.g. 10 s for the migration lock) and leaves
    // them armed after the operation completes, which would keep a finished `cadenza migrate`
    // alive for 10 s. Unref'd, they still fire while the process runs but do not hold it open.
    for (const name of Object.keys(imports).filter((key) => key.startsWith("__wbg_setTimeout_"))) {
      const original = imports[name] as (...args: unknown[]) => unknown;
      imports[name] = (...args: unknown[]) => {
        const timer = original(...args);
        (timer as { unref?: () => void } | undefined)?.unref?.();
        return timer;
      };
    }
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      "./schema_engine_bg.js": imports,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return glue;
  })();
  return cache.__cadenzaSchemaEngine;
}

export interface SchemaFile {
  path: string;
  content: string;
}

/** The schema filter every call takes: Cadenza has no externally managed tables. */
export const noExternalEntities = { externalTables: [], externalEnums: [] };

export interface OpenSchemaEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes its database connections. */
  close: () => Promise<void>;
}

/**
 * Starts a schema engine. With `url` it can act on that database (apply migrations); without,
 * only database-free operations such as `diff` between two schemas work.
 */
export async function openSchemaEngine(options: {
  url?: string;
  schema?: SchemaFile[];
  log?: (line: string) => void;
}): Promise<OpenSchemaEngine> {
  const glue = await loadBindings();
  // Our own pool, so that closing it is in our hands: the engine does not close its adapter.
  const pool = options.url ? new pg.Pool({ connectionString: options.url, max: 2 }) : undefined;
  pool?.on("error", () => {});
  const adapter = pool ? new PrismaPg(pool) : offlineAdapterFactory;
  const datamodels = (options.schema ?? []).map((f): [string, string] => [f.path, f.content]);
  let engine: SchemaEngine;
  try {
    engine = await glue.SchemaEngine.new(
      { datamodels: datamodels.length > 0 ? datamodels : undefined },
      (line: string) => options.log?.(line),
      bindMigrationAwareSqlAdapterFactory(adapter),
    );
  } catch (error) {
    await pool?.end();
    throw error;
  }
  return {
    engine,
    close: async () => {
      engine.free();
      await pool?.end();
    },
  };
}

/**
 * A stand-in database for operations that need none (diffs between two schemas). The engine
 * still sends one query when it starts, to learn the server version; this answers it as a
 * PostgreSQL 16 would and refuses everything else, so nothing can silently pretend to run.
 */
const offlineAdapterFactory: SqlMigrationAwareDriverAdapterFactory = {
  provider: "postgres",
  adapterName: "cadenza-offline",
  connect: async () => offlineAdapter,
  connectToShadowDb: async () => offlineAdapter,
};

const offlineAdapter: SqlDriverAdapter = {
  provider: "postgres",
  adapterName: "cadenza-offline",
  getConnectionInfo: () => ({ schemaName: "public", supportsRelationJoins: true }),
  async queryRaw(query) {
    if (query.sql.startsWith("SELECT EXISTS(SELECT 1 FROM pg_namespace")) {
      return {
        columnNames: ["exists", "version", "numeric_version"],
        columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
        rows: [[true, "PostgreSQL 16.0 (offline schema diff)", 160000]],
      };
    }
    throw new Error(`no database: this schema engine only diffs schemas (query: ${query.sql.slice(0, 80)})`);
  },
  async executeRaw() {
    throw new Error("no database: this schema engine only diffs schemas");
  },
  async executeScript() {
    throw new Error("no database: this schema engine only diffs schemas");
  },
  async startTransaction() {
    throw new Error("no database: this schema engine only diffs schemas");
  },
  async dispose() {},
};
