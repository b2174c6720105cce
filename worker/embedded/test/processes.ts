import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../../../bin/cadenza.mjs", import.meta.url));
/** Engines sharing a database share its secret key (server processes refuse to start without one). */
const SECRET_KEY = randomBytes(32).toString("base64");

export interface EngineProcess {
  child: ChildProcess;
  output: () => string;
  /** SIGKILL: no cleanup at all, as a crash. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `cadenza server engine` as a separate process on a database; resolves once it says it started.
 * The engines of a test run on one machine and share its storage directory, so it is declared shared.
 */
export async function spawnEngine(env: Record<string, string>): Promise<EngineProcess> {
  const child = spawn(process.execPath, [cli, "server", "engine"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      CADENZA_SECRET_KEY: SECRET_KEY,
      CADENZA_STORAGE_SHARED: "true",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`engine did not start:\n${output}`)), 30_000);
    const check = () => {
      if (/engine .* started/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`engine exited with ${code}:\n${output}`));
    });
  });
  return {
    child,
    output: () => output,
    async crash() {
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
