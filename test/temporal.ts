import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "@/server/runtime/free-port";
import { devServerArgs, temporalCliPath } from "@/server/runtime/temporal-dev";
import { waitForTemporal } from "@/worker/temporal/connection";

/**
 * A real Temporal server for the Temporal driver's tests: TEMPORAL_ADDRESS's when set, else the Temporal
 * CLI's dev server (TEMPORAL_CLI, or `npm run temporal:install`'s .temporal/bin/temporal) started on free
 * ports with its SQLite file in a temporary directory. Without either, `temporalAvailable` is false and
 * the tests that need it report themselves skipped.
 */
export const temporalCli = temporalCliPath;
export const temporalAvailable = Boolean(process.env.TEMPORAL_ADDRESS) || existsSync(temporalCli);
export const TEMPORAL_SKIP_REASON =
  "no Temporal server: run `npm run temporal:install` or set TEMPORAL_ADDRESS (tests skipped, not passed)";

export interface TestTemporal {
  address: string;
  namespace: string;
  /** The dev server's SQLite file (none for TEMPORAL_ADDRESS). */
  dbFile?: string;
  /** Stops the dev server (keeps its file when `keepData`), and restarts it on the same port and file. */
  stop(options?: { keepData?: boolean }): Promise<void>;
  restart?(): Promise<void>;
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`temporal server exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
      socket.connect(port, "127.0.0.1");
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`temporal server did not listen on ${port} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startTestTemporal(): Promise<TestTemporal> {
  if (process.env.TEMPORAL_ADDRESS)
    return {
      address: process.env.TEMPORAL_ADDRESS,
      namespace: process.env.TEMPORAL_NAMESPACE ?? "default",
      async stop() {},
    };
  const dir = mkdtempSync(path.join(tmpdir(), "cadenza-temporal-"));
  const dbFile = path.join(dir, "temporal.db");
  let [port, httpPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  let child: ChildProcess;
  const launch = async () => {
    // Through a watchdog shell holding our stdin: when this process dies without stopping the server (a
    // test timed out, the run was killed), the pipe closes and the server goes too, never left running.
    child = spawn(
      "sh",
      [
        "-c",
        'trap \'kill "$pid" 2>/dev/null\' TERM; "$0" "$@" & pid=$!; read _ignored; kill "$pid" 2>/dev/null; wait "$pid"',
        temporalCli,
        ...devServerArgs({ port, httpPort, metricsPort, dbFile }),
      ],
      { stdio: ["pipe", "ignore", "inherit"] },
    );
    await waitForPort(port, child, 30_000);
    // The port opens before the frontend is healthy ("Frontend is not healthy yet"): wait for a client.
    await waitForTemporal({ address: `127.0.0.1:${port}`, namespace: "default" }, 30_000);
  };
  const halt = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.stdin?.end(); // the watchdog stops the server and waits for it
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  // A first start can lose a port to another test's server starting at once (the dev server picks its
  // internal services' ports too): start again on fresh ports. A restart keeps its port, as clients hold it.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (error) {
      await halt();
      if (attempt >= 3) throw error;
      [port, httpPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
    }
  }
  return {
    address: `127.0.0.1:${port}`,
    namespace: "default",
    dbFile,
    async stop(options = {}) {
      await halt();
      if (!options.keepData) rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await halt();
      await launch();
    },
  };
}
