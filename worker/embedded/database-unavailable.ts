// Whether an error means "the database cannot be reached right now" (server down, restarting, connection
// cut), as opposed to a bug: the REST API answers those 503 with Retry-After instead of 500 (so a client
// retries, and nothing is logged as a crash), and the engine's queue waits for the database instead of
// failing (queue-pool.ts). Errors arrive in three dresses — node-postgres's own (the
// engine's pool), Prisma's with the driver adapter's error inside, and either wrapped as a `cause` — so
// this walks the chain and looks at codes, never at whole messages alone.

/** Socket errors of a connection that cannot be made or was cut. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
]);

/**
 * PostgreSQL's SQLSTATEs for a server that is going away or not ready: class 08 (connection exception),
 * 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up, shutting down).
 */
const SQLSTATE = /^(08...|57P0[123])$/;

/** Prisma's codes: P1001 can't reach the server, P1002 timed out, P1017 server closed the connection. */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1017"]);

/** The driver adapter's kinds (@prisma/adapter-pg) for the same failures. */
const ADAPTER_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);

/** node-postgres's messages that carry no code (its pool and client raise them as plain Errors). */
const PG_MESSAGES =
  /^(Connection terminated( unexpectedly| due to connection timeout)?|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|Cannot use a pool after calling end on the pool)$/;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 6 || error === null || typeof error !== "object") return false;
  const e = error as {
    code?: unknown;
    kind?: unknown;
    message?: unknown;
    cause?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  if (
    typeof e.code === "string" &&
    (SOCKET_CODES.has(e.code) || PRISMA_CODES.has(e.code) || SQLSTATE.test(e.code))
  )
    return true;
  if (typeof e.kind === "string" && ADAPTER_KINDS.has(e.kind)) return true;
  if (e.kind === "postgres" && typeof e.code === "string" && SQLSTATE.test(e.code)) return true;
  if (typeof e.message === "string" && PG_MESSAGES.test(e.message)) return true;
  return (
    isDatabaseUnavailable(e.cause, depth + 1) ||
    isDatabaseUnavailable(e.meta?.driverAdapterError, depth + 1) ||
    (error instanceof AggregateError && error.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1)))
  );
}
