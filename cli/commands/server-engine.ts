import type { Command } from "../command";
import { CleanupStack, reportingErrors, requireSharedDatabase } from "./support";

export const serverEngine: Command = {
  path: ["server", "engine"],
  summary: "Run only the engine, against DATABASE_URL (a placeholder that executes nothing yet)",
  usage: "",
  options: {},
  positionals: { max: 0 },
  run: (_args, io) =>
    reportingErrors(io, "server engine", async () => {
      const { env } = await import("../../server/env");
      const { listenForShutdown } = await import("../../server/runtime/signals");
      const { createPrismaClient } = await import("../../server/db/client");
      const { prismaInstanceRegistry } = await import("../../server/services/service-instances");
      const { startEngine } = await import("../../worker/embedded/engine");
      const { version } = await import("../../server/version");
      const url = await requireSharedDatabase("engine", env.DATABASE_URL);
      const shutdown = listenForShutdown();
      const cleanup = new CleanupStack(io);
      try {
        const db = createPrismaClient(url);
        cleanup.push("database connections", () => db.$disconnect());
        const engine = await startEngine({ registry: prismaInstanceRegistry(db), version });
        cleanup.push("the engine", engine.stop);
        io.stdout(
          `Cadenza engine ${engine.instanceId} started. It is a placeholder: it heartbeats (see /api/health) ` +
            "but executes no flows until the embedded engine is built. Ctrl-C stops it.\n",
        );
        await shutdown.received;
        return 0;
      } finally {
        await cleanup.run();
        shutdown.dispose();
      }
    }),
};
