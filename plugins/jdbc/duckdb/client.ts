// DuckDB through @duckdb/node-api, DuckDB's own Node client (its native library comes as an npm package
// per platform, no download at install). DuckDB runs inside the engine's process, so each task run opens
// its own instance confined to its working directory: DuckDB's `enable_external_access = false` with
// `allowed_directories` refuses every other path (reading /etc/passwd, COPY TO elsewhere, ATTACH,
// INSTALL), and `lock_configuration` keeps the SQL from lifting it. Extensions cannot be installed.
import type { DuckDBConnection, DuckDBResult } from "@duckdb/node-api";
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
import { decimal } from "../values";

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Opens DuckDB on the run's database file (or in memory), confined to its working directory. */
export async function withDuckDb<T>(
  p: JdbcConnection & { embedded?: EmbeddedTarget },
  _services: TaskServices,
  signal: AbortSignal,
  work: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const target = p.embedded;
  if (!target) throw new Error("DuckDB runs need a working directory");
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(target.path ?? ":memory:", {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  let connection: DuckDBConnection | undefined;
  const abort = () => connection?.interrupt();
  signal.addEventListener("abort", abort, { once: true });
  try {
    connection = await instance.connect();
    const dir = target.workingDir;
    await connection.run(`SET allowed_directories = [${quote(`${dir}/`)}]`);
    await connection.run(`SET temp_directory = ${quote(`${dir}/.duckdb_tmp`)}`);
    if (p.timeZoneId) {
      try {
        await connection.run(`SET TimeZone = ${quote(p.timeZoneId)}`);
      } catch (error) {
        throw new Error(`timeZoneId '${p.timeZoneId}': ${(error as Error).message}`);
      }
    }
    await connection.run("SET enable_external_access = false");
    await connection.run("SET lock_configuration = true");
    const result = await work(connection);
    // The database file is stored once the task ends: everything in its write-ahead log goes in first.
    if (target.path) await connection.run("CHECKPOINT");
    return result;
  } catch (error) {
    const message = (error as Error).message;
    // DuckDB resolves a relative path against the engine's own directory, which is refused.
    const relative = /Cannot access file "([^/"][^"]*)"/.exec(message);
    if (relative)
      throw new Error(
        `${message.split("\n")[0]} (files are read and written in the task's working directory: write '{{ workingDir }}/${relative[1]}')`,
      );
    throw error;
  } finally {
    signal.removeEventListener("abort", abort);
    connection?.closeSync();
    instance.closeSync();
  }
}

/** How a column's values become row values: most as DuckDB's JS values, some from its JSON text. */
type Reading = "js" | "date" | "local" | "decimal" | "text";

function readingOf(type: string): Reading {
  if (type === "DATE") return "date";
  if (type === "TIMESTAMP" || type === "TIMESTAMP_S" || type === "TIMESTAMP_MS" || type === "TIMESTAMP_NS")
    return "local";
  if (type.startsWith("DECIMAL")) return "decimal";
  if (type === "TIME" || type === "TIME WITH TIME ZONE" || type === "INTERVAL" || type === "TIME_NS")
    return "text";
  return "js";
}

function reader(result: DuckDBResult, converters: typeof import("@duckdb/node-api")): RowReader {
  const names = result.deduplicatedColumnNames();
  const readings = result.columnTypes().map((type) => readingOf(type.toString()));
  const needsJson = readings.some((r) => r !== "js");
  let pending: Record<string, unknown>[] = [];
  let done = false;
  const more = async () => {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) {
      done = true;
      return;
    }
    const js = chunk.convertRows(converters.JSDuckDBValueConverter);
    const json = needsJson ? chunk.convertRows(converters.JsonDuckDBValueConverter) : undefined;
    js.forEach((values, rowIndex) => {
      const row: Record<string, unknown> = {};
      names.forEach((name, i) => {
        const reading = readings[i];
        const text = json?.[rowIndex]?.[i];
        if (reading === "js" || text === null || text === undefined) row[name] = values[i] ?? null;
        else if (reading === "local") row[name] = String(text).replace(" ", "T");
        else if (reading === "decimal") row[name] = decimal(String(text));
        else row[name] = typeof text === "object" ? JSON.stringify(text) : String(text);
      });
      pending.push(row);
    });
  };
  return {
    async read(count) {
      while (!done && pending.length < count) await more();
      const out = pending.slice(0, count);
      pending = pending.slice(count);
      return out;
    },
    async close() {
      done = true;
      pending = [];
    },
  };
}

/** One statement, `:name` parameters bound as `$1`..., its rows handled as `fetchType` says. */
export async function runStatement(
  connection: DuckDBConnection,
  sql: string,
  parameters: Record<string, unknown> | undefined,
  fetch: { fetchType: FetchType; fetchSize: number },
  store: () => StoreTarget,
): Promise<StatementResult> {
  const { text, values } = bindNamed(sql, parameters, (i) => `$${i}`, POSTGRES);
  const bound = values.length ? (values as never) : undefined;
  if (fetch.fetchType === "NONE") {
    await connection.run(text, bound);
    return {};
  }
  const converters = await import("@duckdb/node-api");
  const result = await connection.stream(text, bound);
  return fetchResult(fetch.fetchType, reader(result, converters), fetch.fetchSize, store);
}

export async function inTransaction<T>(connection: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await connection.run("BEGIN TRANSACTION");
  try {
    const result = await work();
    await connection.run("COMMIT");
    return result;
  } catch (error) {
    await connection.run("ROLLBACK").catch(() => {});
    throw error;
  }
}
