import type { Command } from "../command";
import {
  CleanupStack,
  Interrupted,
  parseEngine,
  parsePort,
  progress,
  reportingErrors,
  throwIfAborted,
} from "./support";

export const start: Command = {
  path: ["start"],
  summary:
    "Run Cadenza on this machine: web server and engine, with an embedded PostgreSQL unless DATABASE_URL is set",
  usage: "[--port PORT] [--engine embedded|temporal] [--rebuild]",
  options: { port: { type: "string" }, engine: { type: "string" }, rebuild: { type: "boolean" } },
  optionHelp: {
    port: "port of the web server (default: PORT, else 3000)",
    engine:
      "embedded, or temporal: executions as Temporal workflows on TEMPORAL_ADDRESS, else on a local dev server kept in the data directory (default: CADENZA_ENGINE, else embedded)",
    rebuild: "build the web app even if the build looks current",
  },
  positionals: { max: 0 },
  run: (args, io) =>
    reportingErrors(io, "start", async () => {
      const portFlag = parsePort(args.values.port);
      const engineFlag = parseEngine(args.values.engine);
      const { env, exportToProcessEnv } = await import("../../server/env");
      const { listenForShutdown } = await import("../../server/runtime/signals");
      const { assertPortFree, buildState, ensureBuild, startWebServer } = await import(
        "../../server/runtime/web"
      );
      const { openDatabase } = await import("../../server/runtime/database");
      const { applyMigrations } = await import("../../server/db/migrate");
      const { disconnectDb } = await import("../../server/db/client");
      const {
        ensureDefaultTenant,
        openServerEngine,
        runtimeOptionsFrom,
        scriptsStatus,
        temporalConnectionFrom,
      } = await import("../../server/engine");
      const engineKind = engineFlag ?? env.CADENZA_ENGINE;
      const { migrationsDir } = await import("../../server/paths");
      const { checkStorageReachable, describeStorage, storageConfigFrom } = await import(
        "../../server/storage"
      );
      const { version } = await import("../../server/version");
      const { CadenzaError } = await import("../../server/errors");

      const port = portFlag ?? env.PORT;
      const shutdown = listenForShutdown({ onSecond: () => io.stderr("Stopping now.\n") });
      const cleanup = new CleanupStack(io);
      try {
        // Cheap checks first, so a mistake is reported in a second rather than after a build.
        await assertPortFree(port, env.HOST);
        await checkStorageReachable(storageConfigFrom(env));
        io.stdout(`Starting Cadenza ${version}\n`);
        // Temporal mode: TEMPORAL_ADDRESS's server (checked now: cheap, and a typo should not cost a build),
        // else the installed dev server with its data in the data directory, stopped with Cadenza.
        let temporalAddress = env.TEMPORAL_ADDRESS;
        let temporalWhere = `Temporal at ${temporalAddress}`;
        if (engineKind === "temporal") {
          if (temporalAddress) {
            const { waitForTemporal } = await import("../../worker/temporal/connection");
            await waitForTemporal(temporalConnectionFrom(env), 5_000).catch((error: Error) => {
              throw new CadenzaError(
                `Temporal does not answer at TEMPORAL_ADDRESS=${temporalAddress}: ${error.message.split("\n")[0]}`,
              );
            });
          } else {
            const { startDevTemporal } = await import("../../server/runtime/temporal-dev");
            const local = await startDevTemporal({ dataDir: env.CADENZA_DATA_DIR, onProgress: progress(io) });
            cleanup.push("the local Temporal server", local.stop);
            temporalAddress = local.address;
            temporalWhere = `a local Temporal dev server at ${local.address} (data in ${local.dbFile})`;
          }
        }
        throwIfAborted(shutdown.signal);
        const database = await openDatabase({
          databaseUrl: env.DATABASE_URL,
          dataDir: env.CADENZA_DATA_DIR,
          onProgress: progress(io),
        });
        cleanup.push("PostgreSQL", database.stop);
        io.stdout(`  Database: ${database.description}\n`);
        throwIfAborted(shutdown.signal);

        const state = args.values.rebuild ? "forced" : buildState();
        if (state !== "current") {
          const why = {
            missing: "first start",
            stale: "the sources changed since the last build",
            forced: "--rebuild",
          };
          io.stdout(`  Building the web app (${why[state]}; about 30 s)...\n`);
          const startedAt = Date.now();
          await ensureBuild({
            force: true,
            output: (text) => io.stdout(indent(text)),
            signal: shutdown.signal,
          });
          io.stdout(`  Built in ${Math.round((Date.now() - startedAt) / 1000)} s.\n`);
        }
        throwIfAborted(shutdown.signal);

        const applied = await applyMigrations(database.url, migrationsDir);
        io.stdout(
          applied.length > 0
            ? `  Applied ${applied.length} migration(s): ${applied.join(", ")}\n`
            : "  Database schema is up to date.\n",
        );
        throwIfAborted(shutdown.signal);

        // Standalone keys: the secrets' encryption key and the session-signing secret come from the
        // environment, else from files kept in the data directory (created on the first start).
        const { standaloneSecretKey } = await import("../../server/secrets/key");
        const { secretKey } = await import("../../server/secrets/crypto");
        const { standaloneAuthSecret } = await import("../../server/auth/auth-secret");
        const { secretKeyBytes } = await import("../../server/env");
        let keyText = env.CADENZA_SECRET_KEY;
        let keySource = "CADENZA_SECRET_KEY";
        if (!keyText) {
          const stored = standaloneSecretKey(env.CADENZA_DATA_DIR);
          keyText = stored.value;
          keySource = stored.path;
          if (stored.created)
            io.stderr(
              `Warning: CADENZA_SECRET_KEY is not set, so a key was generated in ${stored.path} (mode 0600). It encrypts ` +
                "the secrets stored here: back it up with the data directory (without it they cannot be read), or set " +
                "CADENZA_SECRET_KEY (openssl rand -base64 32) before storing secrets.\n",
            );
        }
        const key = secretKey(secretKeyBytes(keyText) as Buffer);
        const authSecret = env.AUTH_SECRET ?? standaloneAuthSecret(env.CADENZA_DATA_DIR);

        const mode =
          engineKind === "temporal"
            ? { kind: "temporal" as const, temporal: temporalConnectionFrom(env, temporalAddress) }
            : { kind: "embedded" as const };
        const engine = await openServerEngine({
          mode,
          databaseUrl: database.url,
          dataDir: env.CADENZA_DATA_DIR,
          inlineTasks: env.CADENZA_INLINE_TASKS,
          secretKey: key,
          report: (message, error) => io.stderr(`engine: ${message}${error ? ` (${String(error)})` : ""}\n`),
        });
        cleanup.push("the engine", engine.close);
        const mainTenant = await ensureDefaultTenant(engine);
        await engine.startRuntime(runtimeOptionsFrom(env));
        const scripts = await scriptsStatus(engine);
        const { createPrismaClient } = await import("../../server/db/client");
        const { firstAdminInvitation } = await import("../../server/auth/bootstrap");
        const admin = createPrismaClient(database.url);
        const firstAdminToken = await firstAdminInvitation(admin, mainTenant).finally(() =>
          admin.$disconnect(),
        );

        // For the Next app, loaded next in this process: its database, its keys, and the production
        // builds of Next and React, which they select from NODE_ENV when loaded.
        exportToProcessEnv({
          CADENZA_ENGINE: engineKind,
          ...(temporalAddress && engineKind === "temporal" ? { TEMPORAL_ADDRESS: temporalAddress } : {}),
          DATABASE_URL: database.url,
          CADENZA_SECRET_KEY: keyText,
          AUTH_SECRET: authSecret,
          AUTH_TRUST_HOST: env.AUTH_TRUST_HOST === false ? "false" : "true",
          NODE_ENV: "production",
          NEXT_TELEMETRY_DISABLED: "1",
        });
        const web = await startWebServer({ port, host: env.HOST });
        const { closeWebEngine } = await import("../../server/services/engine-client");
        cleanup.push("the web app's database connections", disconnectDb);
        cleanup.push("the web app's engine connections", closeWebEngine);
        cleanup.push("the web server", web.stop);
        throwIfAborted(shutdown.signal);

        const everywhere = !env.HOST || env.HOST === "0.0.0.0" || env.HOST === "::";
        io.stdout(
          [
            "",
            `Cadenza is running at ${web.url}`,
            `  Health:   ${web.url}/api/health`,
            ...(firstAdminToken
              ? [
                  "  Sign in:  no administrator yet. Create the first one (Admin of tenant main) with this link,",
                  `            valid once, for 24 hours (each start prints a new one until an admin exists):`,
                  `            ${web.url}/invite/${firstAdminToken}`,
                  "            or from a shell: npx cadenza admin bootstrap --tenant main --email you@example.com --password '...'",
                ]
              : [
                  `  Sign in:  ${web.url}/sign-in with your email and password.`,
                  "            Lost access? npx cadenza admin bootstrap --tenant main --email you@example.com --password '...' --reset-password",
                ]),
            `  API:      ${web.url}/api/v1/main/... with Authorization: Bearer <token> (OpenAPI: ${web.url}/api/v1/openapi.json)`,
            ...(everywhere
              ? ["            Reachable from other machines: set HOST=127.0.0.1 to keep it to this one."]
              : []),
            engineKind === "temporal"
              ? `  Engine:   Temporal workflows on ${temporalWhere}; a Temporal worker in this process (${env.CADENZA_WORKER_CONCURRENCY} task attempts at once); data in ${env.CADENZA_DATA_DIR}.`
              : `  Engine:   embedded, in this process (${env.CADENZA_WORKER_CONCURRENCY} workers); data in ${env.CADENZA_DATA_DIR}.`,
            `  Storage:  ${describeStorage(storageConfigFrom(env))}.`,
            `  Secrets:  encrypted with the key from ${keySource}.`,
            `  Scripts:  ${scripts}.`,
            "Press Ctrl-C to stop.",
            "",
          ].join("\n"),
        );
        await shutdown.received;
        io.stdout("Stopping Cadenza...\n");
        return 0;
      } catch (error) {
        if (error instanceof Interrupted || shutdown.signal.aborted) {
          io.stdout("Interrupted; stopping.\n");
          return 0;
        }
        throw error;
      } finally {
        await cleanup.run();
        shutdown.dispose();
      }
    }),
};

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, "    ");
}
