// A local Temporal server for `cadenza start --engine temporal` (and `cadenza flow run --engine temporal`)
// when TEMPORAL_ADDRESS is unset: the Temporal CLI's dev server that `npm run temporal:install` put in
// .temporal/, with its SQLite file in the data directory so executions survive a restart.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { waitForTemporal } from "@/worker/temporal/connection";
import { devServerSearchAttributes } from "@/worker/temporal/search-attributes";
import { env } from "../env";
import { CadenzaError } from "../errors";
import { repoRoot } from "../paths";
import { freePort } from "./free-port";

/** The Temporal CLI: TEMPORAL_CLI (e.g. a `go install`ed one), else `npm run temporal:install`'s. */
export const temporalCliPath = env.TEMPORAL_CLI ?? path.join(repoRoot, ".temporal", "bin", "temporal");

export interface DevTemporal {
  address: string;
  namespace: string;
  /** Where its SQLite file is. */
  dbFile: string;
  stop(): Promise<void>;
}

/**
 * `temporal server start-dev` on local ports, its SQLite file kept, quiet but for errors, with Cadenza's
 * search attributes registered (an already registered one is accepted on a restart).
 */
export function devServerArgs(o: { port: number; httpPort: number; metricsPort: number; dbFile: string }) {
  return [
    "server",
    "start-dev",
    "--headless",
    "--ip",
    "127.0.0.1",
    "--port",
    String(o.port),
    "--http-port",
    String(o.httpPort),
    "--metrics-port",
    String(o.metricsPort),
    "--db-filename",
    o.dbFile,
    "--log-level",
    "error",
    ...devServerSearchAttributes(),
  ];
}

/** Starts the installed dev server on free local ports; resolves once its frontend answers. */
export async function startDevTemporal(options: {
  dataDir: string;
  cli?: string;
  onProgress?: (message: string) => void;
}): Promise<DevTemporal> {
  const cli = options.cli ?? temporalCliPath;
  if (!existsSync(cli))
    throw new CadenzaError(
      `No Temporal server: TEMPORAL_ADDRESS is unset and the Temporal CLI is not installed at ${cli}. Run \`npm run temporal:install\`, or set TEMPORAL_ADDRESS.`,
    );
  const dir = path.join(options.dataDir, "temporal");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const dbFile = path.join(dir, "temporal.db");
  const [port, httpPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  options.onProgress?.(`Starting a local Temporal server (data in ${dbFile})...`);
  const child: ChildProcess = spawn(cli, devServerArgs({ port, httpPort, metricsPort, dbFile }), {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const address = `127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitForTemporal({ address, namespace: "default" }, 60_000),
      exited.then((code) => {
        throw new CadenzaError(
          `The local Temporal server exited (code ${code}) before it answered: ${stderr.trim().split("\n").pop() ?? ""}`,
        );
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, namespace: "default", dbFile, stop };
}
