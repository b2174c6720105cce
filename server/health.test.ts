import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "@/test/db";
import { temporalReachable } from "@/worker/temporal/connection";
import { createPrismaClient } from "./db/client";
import { openServerEngine } from "./engine";
import { checkHealth, healthHandler } from "./health";
import { staleAfterMs } from "./services/service-instances";
import { version } from "./version";

describe("health", () => {
  const t = useTestDatabase();

  it("is 200 but degraded when the database answers and no engine runs", async () => {
    const response = await healthHandler(() => t.db)();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "degraded", db: "ok", engine: "down", version });
  });

  it("reports a live engine, and forgets it when it stops", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cadenza-health-"));
    const engine = await openServerEngine({ databaseUrl: t.url, dataDir });
    try {
      await engine.startRuntime({ scheduler: false, retentionDays: 0 });
      expect(await checkHealth(() => t.db)).toEqual({
        httpStatus: 200,
        report: { status: "ok", db: "ok", engine: "running", version },
      });
    } finally {
      await engine.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect((await checkHealth(() => t.db)).report.engine).toBe("down");
  });

  it("in Temporal mode reports Temporal down (degraded) when nothing answers at TEMPORAL_ADDRESS", async () => {
    const check = () => temporalReachable({ address: "127.0.0.1:1", namespace: "default" }, 1_000);
    const response = await healthHandler(() => t.db, check)();
    expect(await response.json()).toEqual({
      status: "degraded",
      db: "ok",
      engine: "down",
      temporal: "down",
      version,
    });
  });

  it("ignores engines whose heartbeat is stale", async () => {
    await t.db.serviceInstance.create({
      data: {
        role: "engine",
        mode: "embedded",
        hostname: "gone",
        pid: 1,
        version,
        heartbeatAt: new Date(Date.now() - staleAfterMs - 1000),
      },
    });
    expect((await checkHealth(() => t.db)).report.engine).toBe("down");
  });

  it("is 503 when the database does not answer", async () => {
    const unreachable = createPrismaClient("postgresql://cadenza@127.0.0.1:1/cadenza");
    try {
      const response = await healthHandler(() => unreachable)();
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: "down", db: "down", engine: "unknown", version });
    } finally {
      await unreachable.$disconnect();
    }
  });

  it("is 503 when no database is configured", async () => {
    const response = await healthHandler(() => {
      throw new Error("DATABASE_URL is not set");
    })();
    expect(response.status).toBe(503);
  });
});

describe("GET /api/health (the route module)", () => {
  const t = useTestDatabase();
  afterEach(async () => {
    const { disconnectDb } = await import("./db/client");
    await disconnectDb();
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("answers from the database in DATABASE_URL", async () => {
    vi.stubEnv("DATABASE_URL", t.url);
    vi.resetModules();
    const { GET } = await import("@/app/api/health/route");
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ db: "ok", version });
  });

  it("is 503 without DATABASE_URL", async () => {
    vi.stubEnv("DATABASE_URL", "");
    vi.resetModules();
    const { GET } = await import("@/app/api/health/route");
    expect((await GET()).status).toBe(503);
  });
});
