// The service_instances table: which server processes are alive (ARCHITECTURE §1 roles). Engine
// processes register and heartbeat themselves (worker/embedded/liveness.ts); this module reads.
import { DEFAULT_STALE_AFTER_MS } from "@/worker/embedded";
import type { PrismaClient } from "../db/client";

/** An instance whose last heartbeat is older than this is considered gone. */
export const staleAfterMs = DEFAULT_STALE_AFTER_MS;

/** Instances of `role` that heartbeated recently, newest first. */
export function liveInstances(db: Pick<PrismaClient, "serviceInstance">, role: string, now = new Date()) {
  return db.serviceInstance.findMany({
    where: { role, heartbeatAt: { gte: new Date(now.getTime() - staleAfterMs) } },
    orderBy: { heartbeatAt: "desc" },
  });
}
