import type { Command } from "../command";
import { CleanupStack, Interrupted, parsePort, progress, reportingErrors, throwIfAborted } from "./support";

export const start: Command = {
  path: ["start"],
  summary:
    "Run Cadenza on this machine: web server and engine, with an embedded PostgreSQL unless DATABASE_URL is set",
  usage: "[--port PORT] [--rebuild]",
  options: { port: { type: "string" }, rebuild: { type: "boolean" } },
  optionHelp: {
    port: "port of the web server (default: PORT, else 3000)",
    rebuild: "build the web app even if the build looks current",
  },
  positionals: { max: 0 },
  run: (args, io) =>
    reportingErrors(io, "start", async () => {
      const portFlag = parsePort(args.values.port);
      const { env, exportToProcessEnv } = await import("../../server/env");
      const { listenForShutdown } = await import("../../server/runtime/signals");
      const { assertPortFree, buildState, ensureBuild, startWebServer } = await import(
        "../../server/runtime/web"
      );
      const { openDatabase } = await import("../../server/runtime/database");
      const { applyMigrations } = await import("../../server/db/migrate");
      const { disconnectDb } = await import("../../server/db/client");
      const { ensureDefaultTenant, openServerEngine, runtimeOptionsFrom } = await import(
        "../../server/engine"
      );
      const { migrationsDir } = await import("../../server/paths");
      const { version } = await import("../../server/version");

      const port = portFlag ?? env.PORT;
      const shutdown = listenForShutdown({ onSecond: () => io.stderr("Stopping now.\n") });
      const cleanup = new CleanupStack(io);
      try {
        // Cheap checks first, so a mistake is reported in a second rather than after a build.
        await assertPortFree(port, env.HOST);
        io.stdout(`Starting Cadenza ${version}\n`);
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

        const engine = await openServerEngine({
          databaseUrl: database.url,
          dataDir: env.CADENZA_DATA_DIR,
          inlineTasks: env.CADENZA_INLINE_TASKS,
          report: (message, error) => io.stderr(`engine: ${message}${error ? ` (${String(error)})` : ""}\n`),
        });
        cleanup.push("the engine", engine.close);
        await ensureDefaultTenant(engine);
        await engine.startRuntime(runtimeOptionsFrom(env));

        // For the Next app, loaded next in this process: its database, and the production builds
        // of Next and React, which they select from NODE_ENV when loaded.
        exportToProcessEnv({
          DATABASE_URL: database.url,
          NODE_ENV: "production",
          NEXT_TELEMETRY_DISABLED: "1",
        });
        const web = await startWebServer({ port, host: env.HOST });
        cleanup.push("the web app's database connections", disconnectDb);
        cleanup.push("the web server", web.stop);
        throwIfAborted(shutdown.signal);

        const everywhere = !env.HOST || env.HOST === "0.0.0.0" || env.HOST === "::";
        io.stdout(
          [
            "",
            `Cadenza is running at ${web.url}`,
            `  Health:   ${web.url}/api/health`,
            "  Sign in:  nothing to sign in with yet: accounts and sign-in are not built, so the app is open",
            everywhere
              ? "            to anyone who can reach this port (set HOST=127.0.0.1 to keep it to this machine)."
              : `            to anyone who can reach ${env.HOST}:${port}.`,
            `  Engine:   embedded, in this process (${env.CADENZA_WORKER_CONCURRENCY} workers); data in ${env.CADENZA_DATA_DIR}.`,
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
