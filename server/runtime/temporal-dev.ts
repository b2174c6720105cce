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

/** Tries before giving up: the ports are free when chosen but another process can bind one first. */
const START_ATTEMPTS = 3;

/**
 * Starts the installed dev server on free local ports; resolves once its frontend answers. A server that
 * exits before it answers is started again on fresh ports: the dev server also picks its internal
 * services' ports itself, and two servers starting at once (tests, a second `cadenza`) can race for one.
 */
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
  options.onProgress?.(`Starting a local Temporal server (data in ${dbFile})...`);
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchDevTemporal(cli, dbFile);
    } catch (error) {
      if (!(error instanceof EarlyExit) || attempt >= START_ATTEMPTS) throw error;
      options.onProgress?.(
        `The local Temporal server exited while starting (${error.message}); trying again...`,
      );
    }
  }
}

/** The dev server exited before its frontend answered (the message is its last line of errors). */
class EarlyExit extends CadenzaError {}

async function launchDevTemporal(cli: string, dbFile: string): Promise<DevTemporal> {
  const [port, httpPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const child: ChildProcess = spawn(cli, devServerArgs({ port, httpPort, metricsPort, dbFile }), {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    if (stderr.length < 16_000) stderr += chunk.toString();
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
        throw new EarlyExit(
          `The local Temporal server exited (code ${code}) before it answered: ${exitReason(stderr)}`,
        );
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, namespace: "default", dbFile, stop };
}

/** The line of the dev server's errors that says why it stopped (a Go panic prints a stack after it). */
export function exitReason(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return (
    lines.find((line) => /^panic:|^fatal|already in use|^error/i.test(line)) ?? lines.at(-1) ?? "no output"
  );
}
