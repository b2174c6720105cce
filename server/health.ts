// /api/health: is the database answering, is an engine alive, which version is this.
import type { PrismaClient } from "./db/client";
import { liveInstances } from "./services/service-instances";
import { version } from "./version";

export interface HealthReport {
  /** "ok": database answers and an engine is alive; "degraded": no engine; "down": no database. */
  status: "ok" | "degraded" | "down";
  db: "ok" | "down";
  /** "running": a live engine process; "down": no engine heartbeat; "unknown": the database is down. */
  engine: "running" | "down" | "unknown";
  version: string;
}

export type HealthDb = Pick<PrismaClient, "$queryRaw" | "serviceInstance">;

const timeoutMs = 3_000;

/** Builds the report; HTTP 200 only when the database answers `select 1`, else 503. */
export async function checkHealth(
  getDb: () => HealthDb,
): Promise<{ httpStatus: 200 | 503; report: HealthReport }> {
  let db: HealthDb;
  try {
    db = getDb();
    await withTimeout(db.$queryRaw`select 1`);
  } catch {
    return { httpStatus: 503, report: { status: "down", db: "down", engine: "unknown", version } };
  }
  let engine: HealthReport["engine"];
  try {
    const engines = await withTimeout(liveInstances(db, "engine"));
    engine = engines.length === 0 ? "down" : "running";
  } catch {
    engine = "unknown";
  }
  const status = engine === "running" ? "ok" : "degraded";
  return { httpStatus: 200, report: { status, db: "ok", engine, version } };
}

/** The route handler, with its database injected (app/api/health/route.ts passes getDb). */
export function healthHandler(getDb: () => HealthDb): () => Promise<Response> {
  return async () => {
    const { httpStatus, report } = await checkHealth(getDb);
    return Response.json(report, { status: httpStatus, headers: { "cache-control": "no-store" } });
  };
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
