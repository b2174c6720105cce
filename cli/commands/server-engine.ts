import type { CliIo, Command } from "../command";
import { CleanupStack, reportingErrors, requireSharedDatabase } from "./support";

/**
 * An engine process against DATABASE_URL: the embedded engine's runtime, or (`temporal`) the Temporal
 * workers of every tenant's task queue against TEMPORAL_ADDRESS. Runs until Ctrl-C / SIGTERM.
 */
async function runEngineProcess(role: "engine" | "temporal-worker", io: CliIo): Promise<number> {
  const { env, secretKeyBytes } = await import("../../server/env");
  const { listenForShutdown } = await import("../../server/runtime/signals");
  const { engineModeFrom, openServerEngine, runtimeOptionsFrom } = await import("../../server/engine");
  const { CadenzaError } = await import("../../server/errors");
  const { secretKey } = await import("../../server/secrets/crypto");
  const url = await requireSharedDatabase(role, env.DATABASE_URL);
  if (!env.CADENZA_SECRET_KEY)
    throw new CadenzaError(
      "CADENZA_SECRET_KEY is not set: flows read their secrets with it; give every server the same one (openssl rand -base64 32).",
    );
  // `server temporal-worker` is Temporal's whatever CADENZA_ENGINE says; `server engine` follows it.
  const mode = engineModeFrom(role === "temporal-worker" ? { ...env, CADENZA_ENGINE: "temporal" } : env);
  const { checkStorageReachable, describeStorage, requireSharedStorage } = await import(
    "../../server/storage"
  );
  const storage = requireSharedStorage(role, env);
  await checkStorageReachable(storage);
  const key = secretKey(secretKeyBytes(env.CADENZA_SECRET_KEY) as Buffer);
  const shutdown = listenForShutdown();
  const cleanup = new CleanupStack(io);
  try {
    const engine = await openServerEngine({
      mode,
      databaseUrl: url,
      dataDir: env.CADENZA_DATA_DIR,
      inlineTasks: env.CADENZA_INLINE_TASKS,
      secretKey: key,
      report: (message, error) => io.stderr(`engine: ${message}${error ? ` (${String(error)})` : ""}\n`),
    });
    cleanup.push("the engine", engine.close);
    const runtime = await engine.startRuntime(runtimeOptionsFrom(env));
    io.stdout(
      mode.kind === "temporal"
        ? `Cadenza Temporal worker ${runtime.instanceId} started on ${mode.temporal.address} (namespace ${mode.temporal.namespace}, ${env.CADENZA_WORKER_CONCURRENCY} task attempts at once per tenant queue). Ctrl-C stops it: running attempts get to finish; Temporal gives lost ones to another worker.\n`
        : `Cadenza engine ${runtime.instanceId} started (${env.CADENZA_WORKER_CONCURRENCY} workers). Ctrl-C stops it: ` +
            "running tasks get a few seconds to finish, then their jobs go back to the queue.\n",
    );
    io.stdout(`Internal storage: ${describeStorage(storage)}.\n`);
    await shutdown.received;
    return 0;
  } finally {
    await cleanup.run();
    shutdown.dispose();
  }
}

export const serverEngine: Command = {
  path: ["server", "engine"],
  summary:
    "Run only the engine (executor, workers, scheduler) against DATABASE_URL; several may share one database",
  usage: "",
  options: {},
  positionals: { max: 0 },
  run: (_args, io) => reportingErrors(io, "server engine", () => runEngineProcess("engine", io)),
};

export const serverTemporalWorker: Command = {
  path: ["server", "temporal-worker"],
  summary:
    "Run a Temporal worker (Cadenza's workflows and task attempts) against DATABASE_URL and TEMPORAL_ADDRESS; run several",
  usage: "",
  options: {},
  positionals: { max: 0 },
  run: (_args, io) =>
    reportingErrors(io, "server temporal-worker", () => runEngineProcess("temporal-worker", io)),
};
