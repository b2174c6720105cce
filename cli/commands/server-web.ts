import type { Command } from "../command";
import { CleanupStack, parsePort, reportingErrors, requireSharedDatabase } from "./support";

export const serverWeb: Command = {
  path: ["server", "web"],
  summary:
    "Run only the web server (UI and API), against DATABASE_URL; for deployments with several machines",
  usage: "[--port PORT]",
  options: { port: { type: "string" } },
  optionHelp: { port: "port to listen on (default: PORT, else 3000)" },
  positionals: { max: 0 },
  run: (args, io) =>
    reportingErrors(io, "server web", async () => {
      const portFlag = parsePort(args.values.port);
      const { env, exportToProcessEnv } = await import("../../server/env");
      const { listenForShutdown } = await import("../../server/runtime/signals");
      const { assertPortFree, ensureBuild, startWebServer } = await import("../../server/runtime/web");
      const { disconnectDb } = await import("../../server/db/client");
      const port = portFlag ?? env.PORT;
      await assertPortFree(port, env.HOST);
      await requireSharedDatabase("web", env.DATABASE_URL);
      const { CadenzaError } = await import("../../server/errors");
      if (!env.AUTH_SECRET)
        throw new CadenzaError(
          "AUTH_SECRET is not set: it signs the session cookies; give every web server the same one (openssl rand -base64 32).",
        );
      if (!env.CADENZA_SECRET_KEY)
        throw new CadenzaError(
          "CADENZA_SECRET_KEY is not set: it encrypts secrets; give every server the same one (openssl rand -base64 32).",
        );
      const { checkStorageReachable, describeStorage, requireSharedStorage } = await import(
        "../../server/storage"
      );
      const storage = requireSharedStorage("web", env);
      await checkStorageReachable(storage);
      const shutdown = listenForShutdown();
      const cleanup = new CleanupStack(io);
      try {
        if ((await ensureBuild({ output: (text) => io.stdout(text), signal: shutdown.signal })) === "built") {
          io.stdout("Built the web app.\n");
        }
        exportToProcessEnv({
          NODE_ENV: "production",
          NEXT_TELEMETRY_DISABLED: "1",
          AUTH_TRUST_HOST: env.AUTH_TRUST_HOST === false ? "false" : "true",
        });
        const web = await startWebServer({ port, host: env.HOST });
        const { closeWebEngine } = await import("../../server/services/engine-client");
        cleanup.push("database connections", disconnectDb);
        cleanup.push("engine connections", closeWebEngine);
        cleanup.push("the web server", web.stop);
        io.stdout(
          `Cadenza web server at ${web.url} (health: ${web.url}/api/health; internal storage: ${describeStorage(storage)}). Ctrl-C stops it.\n`,
        );
        await shutdown.received;
        return 0;
      } catch (error) {
        if (shutdown.signal.aborted) return 0;
        throw error;
      } finally {
        await cleanup.run();
        shutdown.dispose();
      }
    }),
};
