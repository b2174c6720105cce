import type { Readable } from "node:stream";
import mysql from "mysql2";
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
import { bindNamed, MYSQL } from "../sql";
import { decimal } from "../values";

/**
 * Values: DECIMAL and BIGINT as numbers when exact, else text; DATE as `2024-05-01`; DATETIME and
 * TIMESTAMP as ISO local text in the session's time zone (UTC unless `timeZoneId`), since the server
 * sends them without a zone; binary columns as Buffers (base64 in outputs); JSON parsed.
 */
const typeCast: mysql.TypeCast = (field, next) => {
  switch (field.type) {
    case "NEWDECIMAL":
    case "DECIMAL":
    case "LONGLONG": {
      const text = field.string();
      return text === null ? null : decimal(text);
    }
    case "DATE":
      return field.string();
    case "DATETIME":
    case "TIMESTAMP": {
      const text = field.string();
      return text === null ? null : text.replace(" ", "T");
    }
    default:
      return next();
  }
};

/** TLS from the URL's `sslMode` (Connector/J and MariaDB Connector/J), or `useSSL=true`. */
function sslOf(target: JdbcTarget): mysql.ConnectionOptions["ssl"] {
  const mode = (
    target.params.get("sslMode") ??
    target.params.get("sslmode") ??
    (target.params.get("useSSL") === "true" ? "VERIFY_IDENTITY" : "DISABLED")
  ).toUpperCase();
  if (["DISABLED", "DISABLE", "PREFERRED"].includes(mode)) return undefined;
  if (["REQUIRED", "TRUST"].includes(mode)) return { rejectUnauthorized: false };
  if (["VERIFY_CA", "VERIFY_IDENTITY", "VERIFY-CA", "VERIFY-FULL"].includes(mode))
    return { rejectUnauthorized: true };
  throw new Error(`url: unknown sslMode '${mode}' (DISABLED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY)`);
}

/** A connected client to the URL's database, on an address the outbound policy allows. */
export async function connectMysql(
  p: JdbcConnection,
  services: TaskServices,
  signal: AbortSignal,
): Promise<mysql.Connection> {
  const target = parseJdbcUrl(p.url, ["mysql", "mariadb"], 3306);
  const address = await checkedAddress(target.host, services);
  const ssl = sslOf(target);
  const connection = mysql.createConnection({
    host: address,
    port: target.port,
    ...(target.database ? { database: target.database } : {}),
    ...credentials(target, p),
    ...(ssl ? { ssl } : {}),
    supportBigNumbers: true,
    bigNumberStrings: true,
    typeCast,
    connectTimeout: 30_000,
  });
  connection.on("error", () => {}); // a dropped connection fails the pending query; nothing else listens
  // A killed or timed-out task closes its connection at once.
  const abort = () => connection.destroy();
  signal.addEventListener("abort", abort, { once: true });
  connection.on("end", () => signal.removeEventListener("abort", abort));
  try {
    await connection.promise().connect();
    await connection.promise().query("SET time_zone = ?", [p.timeZoneId ?? "+00:00"]);
  } catch (error) {
    connection.destroy();
    throw new Error(`cannot connect to MySQL at ${target.host}:${target.port}: ${(error as Error).message}`);
  }
  return connection;
}

/** Runs `work` on a connection, closed afterwards whatever happens. */
export async function withMysql<T>(
  p: JdbcConnection,
  services: TaskServices,
  signal: AbortSignal,
  work: (connection: mysql.Connection) => Promise<T>,
): Promise<T> {
  const connection = await connectMysql(p, services, signal);
  try {
    return await work(connection);
  } finally {
    await connection
      .promise()
      .end()
      .catch(() => connection.destroy());
  }
}

/** A statement that returns no rows yields its ResultSetHeader (affected rows) on the stream: not a row. */
const isRow = (row: unknown) => (row as object)?.constructor?.name !== "ResultSetHeader";

/**
 * Rows from mysql2's row stream, which pauses the socket when nobody reads (so memory stays bounded).
 * Closing early reads the rest of the result: the protocol has no way to stop it but to drop the connection.
 */
function streamReader(stream: Readable): RowReader {
  const rows = stream[Symbol.asyncIterator]() as AsyncIterator<Record<string, unknown>>;
  let done = false;
  const next = async () => {
    for (;;) {
      const item = await rows.next();
      if (item.done) {
        done = true;
        return undefined;
      }
      if (isRow(item.value)) return item.value;
    }
  };
  return {
    async read(count) {
      const batch: Record<string, unknown>[] = [];
      while (!done && batch.length < count) {
        const row = await next();
        if (row) batch.push(row);
      }
      return batch;
    },
    async close() {
      while (!done) await next();
    },
  };
}

/** One statement, its `:name` parameters bound, its rows handled as `fetchType` says. */
export async function runStatement(
  connection: mysql.Connection,
  sql: string,
  parameters: Record<string, unknown> | undefined,
  fetch: { fetchType: FetchType; fetchSize: number },
  store: () => StoreTarget,
): Promise<StatementResult> {
  const { text, values } = bindNamed(sql, parameters, () => "?", MYSQL);
  if (fetch.fetchType === "NONE") {
    await connection.promise().query(text, values);
    return {};
  }
  const stream = connection.query(text, values).stream({ highWaterMark: fetch.fetchSize });
  return fetchResult(fetch.fetchType, streamReader(stream), fetch.fetchSize, store);
}

/** Runs `work` in a transaction: committed when it succeeds, rolled back when it throws. */
export async function inTransaction<T>(connection: mysql.Connection, work: () => Promise<T>): Promise<T> {
  await connection.promise().beginTransaction();
  try {
    const result = await work();
    await connection.promise().commit();
    return result;
  } catch (error) {
    await connection
      .promise()
      .rollback()
      .catch(() => {});
    throw error;
  }
}
