import { getDb } from "@/server/db/client";
import { healthHandler } from "@/server/health";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** `{ status, db, engine, version }`: 200 when the database answers, else 503. See server/health.ts. */
export const GET = healthHandler(getDb);
