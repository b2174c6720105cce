import pg from "pg";
import Cursor from "pg-cursor";
import type { TaskServices } from "@/engine/plugin";
import { checkedAddress, credentials, type JdbcTarget, parseJdbcUrl } from "../connect";
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

const { types } = pg;

/**
 * Type parsers: int8 and numeric as numbers when exact (else text), `date` and `timestamp` (no zone) as
 * the ISO text PostgreSQL sends rather than a Date in the worker's zone; timestamptz stays a Date (an
 * instant), bytea a Buffer, json/jsonb parsed, as pg does by default.
 */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (format === "binary") return types.getTypeParser(oid, "binary");
    switch (oid) {
      case types.builtins.INT8:
      case types.builtins.NUMERIC:
        return decimal;
      case types.builtins.DATE:
        return (text: string) => text;
      case types.builtins.TIMESTAMP:
        return (text: string) => text.replace(" ", "T");
      default:
        return types.getTypeParser(oid, "text");
    }
  }) as pg.CustomTypesConfig["getTypeParser"],
};

/** TLS from the URL's `ssl`/`sslmode` (as the PostgreSQL JDBC driver reads them). */
function sslOf(target: JdbcTarget): pg.ClientConfig["ssl"] {
  const mode =
    target.params.get("sslmode") ?? (target.params.get("ssl") === "true" ? "verify-full" : "disable");
  if (mode === "disable" || mode === "allow" || mode === "prefer") return false;
  if (mode === "require") return { rejectUnauthorized: false, servername: target.host };
  if (mode === "verify-ca" || mode === "verify-full")
    return { rejectUnauthorized: true, servername: target.host };
  throw new Error(`url: unknown sslmode '${mode}' (disable, require, verify-ca, verify-full)`);
}

/** A connected client to the URL's database, on an address the outbound policy allows. */
export async function connectPostgres(
  p: JdbcConnection,
  services: TaskServices,
  signal: AbortSignal,
): Promise<pg.Client> {
  const target = parseJdbcUrl(p.url, ["postgresql", "postgres"], 5432);
  const address = await checkedAddress(target.host, services);
  const client = new pg.Client({
    host: address,
    port: target.port,
    ...(target.database ? { database: target.database } : {}),
    ...credentials(target, p),
    ssl: sslOf(target),
    types: TYPES,
    connectionTimeoutMillis: 30_000,
    application_name: "cadenza",
  });
  // A killed or timed-out task closes its connection: the server then cancels what it was running.
  const abort = () => void client.end().catch(() => {});
  signal.addEventListener("abort", abort, { once: true });
  client.on("end", () => signal.removeEventListener("abort", abort));
  client.on("error", () => {}); // a dropped connection fails the pending query; nothing else listens
  try {
    await client.connect();
    if (p.timeZoneId) await client.query("select set_config('TimeZone', $1, false)", [p.timeZoneId]);
  } catch (error) {
    await client.end().catch(() => {});
    throw new Error(
      `cannot connect to PostgreSQL at ${target.host}:${target.port}: ${(error as Error).message}`,
    );
  }
  return client;
}

/** Runs `work` on a connection, closed afterwards whatever happens. */
export async function withPostgres<T>(
  p: JdbcConnection,
  services: TaskServices,
  signal: AbortSignal,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = await connectPostgres(p, services, signal);
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

function cursorReader(client: pg.Client, text: string, values: unknown[]): RowReader {
  const cursor = client.query(new Cursor<Record<string, unknown>>(text, values, { types: TYPES }));
  return { read: (count) => cursor.read(count), close: () => cursor.close() };
}

/** One statement, its `:name` parameters bound, its rows handled as `fetchType` says. */
export async function runStatement(
  client: pg.Client,
  sql: string,
  parameters: Record<string, unknown> | undefined,
  fetch: { fetchType: FetchType; fetchSize: number },
  store: () => StoreTarget,
): Promise<StatementResult> {
  const { text, values } = bindNamed(sql, parameters, (i) => `$${i}`, POSTGRES);
  if (fetch.fetchType === "NONE") {
    await client.query({ text, values });
    return {};
  }
  return fetchResult(fetch.fetchType, cursorReader(client, text, values), fetch.fetchSize, store);
}

/** Runs `work` in a transaction: committed when it succeeds, rolled back when it throws. */
export async function inTransaction<T>(client: pg.Client, work: () => Promise<T>): Promise<T> {
  await client.query("begin");
  try {
    const result = await work();
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  }
}
