import type { Command } from "../command";
import { CleanupStack, reportingErrors, requireSharedDatabase } from "./support";

export const serverEngine: Command = {
  path: ["server", "engine"],
  summary:
    "Run only the engine (executor, workers, scheduler) against DATABASE_URL; several may share one database",
  usage: "",
  options: {},
  positionals: { max: 0 },
  run: (_args, io) =>
    reportingErrors(io, "server engine", async () => {
      const { env } = await import("../../server/env");
      const { listenForShutdown } = await import("../../server/runtime/signals");
      const { openServerEngine, runtimeOptionsFrom } = await import("../../server/engine");
      const url = await requireSharedDatabase("engine", env.DATABASE_URL);
      const { CadenzaError } = await import("../../server/errors");
      const { secretKeyBytes } = await import("../../server/env");
      const { secretKey } = await import("../../server/secrets/crypto");
      if (!env.CADENZA_SECRET_KEY)
        throw new CadenzaError(
          "CADENZA_SECRET_KEY is not set: flows read their secrets with it; give every server the same one (openssl rand -base64 32).",
        );
      const key = secretKey(secretKeyBytes(env.CADENZA_SECRET_KEY) as Buffer);
      const shutdown = listenForShutdown();
      const cleanup = new CleanupStack(io);
      try {
        const engine = await openServerEngine({
          databaseUrl: url,
          dataDir: env.CADENZA_DATA_DIR,
          inlineTasks: env.CADENZA_INLINE_TASKS,
          secretKey: key,
          report: (message, error) => io.stderr(`engine: ${message}${error ? ` (${String(error)})` : ""}\n`),
        });
        cleanup.push("the engine", engine.close);
        const runtime = await engine.startRuntime(runtimeOptionsFrom(env));
        io.stdout(
          `Cadenza engine ${runtime.instanceId} started (${env.CADENZA_WORKER_CONCURRENCY} workers). Ctrl-C stops it: ` +
            "running tasks get a few seconds to finish, then their jobs go back to the queue.\n",
        );
        await shutdown.received;
        return 0;
      } finally {
        await cleanup.run();
        shutdown.dispose();
      }
    }),
};
