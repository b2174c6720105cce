// SQLite through sql.js: SQLite compiled to WebAssembly, from the npm registry with nothing to build or
// download (better-sqlite3 fetches a prebuilt binary from GitHub, or needs a compiler). sql.js keeps the
// database in memory and has no file system of its own: the database file is read from the task's
// working directory when the run opens and written back when it succeeds, so `ATTACH` or `VACUUM INTO`
// cannot reach any file of the engine's machine. The whole database is held in memory while the task
// runs, and a statement runs on the engine's thread until it ends (SQLite in WebAssembly cannot be
// interrupted): both fit SQLite's use in flows, small files passed between tasks.
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import type { Database, SqlJsStatic, SqlValue } from "sql.js";
import type { TaskServices } from "@/engine/plugin";
import type { EmbeddedTarget } from "../embedded";
import {
  type FetchType,
  fetchResult,
  type JdbcConnection,
  type RowReader,
  type StatementResult,
  type StoreTarget,
} from "../shared";
import { bindNamed, POSTGRES } from "../sql";

let engine: Promise<SqlJsStatic> | undefined;

/** sql.js, loaded once (its WebAssembly module is compiled on first use). */
function sqlJs(): Promise<SqlJsStatic> {
  engine ??= import("sql.js").then((module) => (module.default as unknown as () => Promise<SqlJsStatic>)());
  return engine;
}

/** Opens the run's database file (or an empty one); writes it back when `work` succeeds. */
export async function withSqlite<T>(
  p: JdbcConnection & { embedded?: EmbeddedTarget },
  _services: TaskServices,
  signal: AbortSignal,
  work: (db: Database) => Promise<T>,
): Promise<T> {
  const path = p.embedded?.path;
  const SQL = await sqlJs();
  const db = new SQL.Database(path && existsSync(path) ? await readFile(path) : undefined);
  try {
    db.run("PRAGMA foreign_keys = ON");
    const result = await work(db);
    if (signal.aborted) throw new Error("the task was stopped");
    if (path) await writeFile(path, db.export(), { mode: 0o600 });
    return result;
  } catch (error) {
    const message = (error as Error).message;
    if (/file is not a database|database disk image is malformed/.test(message))
      throw new Error(`the database file is not a SQLite database: ${message}`);
    throw error;
  } finally {
    db.close();
  }
}

/** A parameter as SQLite stores it: booleans as 0/1, dates as ISO text, lists and maps as JSON. */
function bindable(value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number" || typeof value === "string" || value instanceof Uint8Array) return value;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** One statement, `:name` parameters bound as `?`, its rows stepped through as `fetchType` says. */
export async function runStatement(
  db: Database,
  sql: string,
  parameters: Record<string, unknown> | undefined,
  fetch: { fetchType: FetchType; fetchSize: number },
  store: () => StoreTarget,
): Promise<StatementResult> {
  const { text, values } = bindNamed(sql, parameters, () => "?", POSTGRES);
  const statement = db.prepare(text);
  try {
    if (values.length) statement.bind(values.map(bindable));
  } catch (error) {
    statement.free();
    throw error;
  }
  if (fetch.fetchType === "NONE") {
    try {
      while (statement.step()) {}
    } finally {
      statement.free();
    }
    return {};
  }
  let names: string[] | undefined;
  let done = false;
  const reader: RowReader = {
    async read(count) {
      const rows: Record<string, unknown>[] = [];
      while (!done && rows.length < count) {
        if (!statement.step()) {
          done = true;
          break;
        }
        names ??= statement.getColumnNames();
        // useBigInt: integers beyond 2^53 kept exact (its typings omit the option).
        const row = (statement.get as (params: null, config: { useBigInt: boolean }) => unknown[])(null, {
          useBigInt: true,
        });
        const record: Record<string, unknown> = {};
        names.forEach((name, i) => {
          record[name] = row[i] ?? null;
        });
        rows.push(record);
      }
      return rows;
    },
    async close() {
      done = true;
      statement.free();
    },
  };
  return fetchResult(fetch.fetchType, reader, fetch.fetchSize, store);
}

export async function inTransaction<T>(db: Database, work: () => Promise<T>): Promise<T> {
  db.run("BEGIN");
  try {
    const result = await work();
    db.run("COMMIT");
    return result;
  } catch (error) {
    try {
      db.run("ROLLBACK");
    } catch {
      // Already rolled back by SQLite.
    }
    throw error;
  }
}
