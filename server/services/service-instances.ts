// The service_instances table: which server processes are alive (ARCHITECTURE §1 roles).
import { heartbeatIntervalMs, type InstanceRegistry } from "../../worker/embedded/engine";
import type { PrismaClient } from "../db/client";

/** An instance whose last heartbeat is older than this is considered gone. */
export const staleAfterMs = heartbeatIntervalMs * 3;

export function prismaInstanceRegistry(db: PrismaClient): InstanceRegistry {
  return {
    async register(info) {
      // Housekeeping: forget instances that stopped heartbeating long ago (killed processes).
      await db.serviceInstance.deleteMany({
        where: { heartbeatAt: { lt: new Date(Date.now() - 24 * 3600_000) } },
      });
      const row = await db.serviceInstance.create({ data: { ...info } });
      return row.id;
    },
    async heartbeat(id) {
      await db.serviceInstance.update({ where: { id }, data: { heartbeatAt: new Date() } });
    },
    async unregister(id) {
      await db.serviceInstance.deleteMany({ where: { id } });
    },
  };
}

/** Instances of `role` that heartbeated recently, newest first. */
export function liveInstances(db: Pick<PrismaClient, "serviceInstance">, role: string, now = new Date()) {
  return db.serviceInstance.findMany({
    where: { role, heartbeatAt: { gte: new Date(now.getTime() - staleAfterMs) } },
    orderBy: { heartbeatAt: "desc" },
  });
}
