// /api/health: is the database answering, is an engine alive, is Temporal reachable (Temporal mode),
// which version is this.
import { temporalReachable } from "@/worker/temporal/connection";
import type { PrismaClient } from "./db/client";
import { temporalConnectionFrom } from "./engine";
import { env } from "./env";
import { liveInstances } from "./services/service-instances";
import { version } from "./version";

export interface HealthReport {
  /** "ok": database answers and an engine is alive; "degraded": no engine; "down": no database. */
  status: "ok" | "degraded" | "down";
  db: "ok" | "down";
  /** "running": a live engine process; "down": no engine heartbeat; "unknown": the database is down. */
  engine: "running" | "down" | "unknown";
  /** In Temporal mode (CADENZA_ENGINE=temporal) only: whether the Temporal server answers. */
  temporal?: "ok" | "down";
  version: string;
}

export type HealthDb = Pick<PrismaClient, "$queryRaw" | "serviceInstance">;

const timeoutMs = 3_000;

/** Builds the report; HTTP 200 only when the database answers `select 1`, else 503. */
export async function checkHealth(
  getDb: () => HealthDb,
  temporal?: () => Promise<boolean>,
): Promise<{ httpStatus: 200 | 503; report: HealthReport }> {
  const reachable = temporal?.().then((ok) => (ok ? "ok" : "down") as "ok" | "down");
  let db: HealthDb;
  try {
    db = getDb();
    await withTimeout(db.$queryRaw`select 1`);
  } catch {
    const temporalState = reachable ? { temporal: await reachable } : {};
    return {
      httpStatus: 503,
      report: { status: "down", db: "down", engine: "unknown", ...temporalState, version },
    };
  }
  let engine: HealthReport["engine"];
  try {
    const engines = await withTimeout(liveInstances(db, "engine"));
    engine = engines.length === 0 ? "down" : "running";
  } catch {
    engine = "unknown";
  }
  const temporalState = reachable ? { temporal: await reachable } : {};
  // Executions cannot run without the Temporal server in Temporal mode: degraded, as without an engine.
  const status = engine === "running" && temporalState.temporal !== "down" ? "ok" : "degraded";
  return { httpStatus: 200, report: { status, db: "ok", engine, ...temporalState, version } };
}

/** Temporal's reachability check of this process when CADENZA_ENGINE=temporal, else undefined. */
export function configuredTemporalCheck(): (() => Promise<boolean>) | undefined {
  if (env.CADENZA_ENGINE !== "temporal" || !env.TEMPORAL_ADDRESS) return undefined;
  const options = temporalConnectionFrom(env);
  return () => temporalReachable(options, timeoutMs);
}

/** The route handler, with its database injected (app/api/health/route.ts passes getDb). */
export function healthHandler(
  getDb: () => HealthDb,
  temporal: (() => Promise<boolean>) | undefined = configuredTemporalCheck(),
): () => Promise<Response> {
  return async () => {
    const { httpStatus, report } = await checkHealth(getDb, temporal);
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
