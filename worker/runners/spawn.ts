import { type SpawnOptionsWithStdioTuple, type StdioNull, type StdioPipe, spawn } from "node:child_process";
import { lineSplitter } from "./lines";

export interface SpawnOptions {
  /** Program and arguments. */
  command: string[];
  cwd: string;
  /** The complete environment of the process (nothing is inherited). */
  env: Record<string, string>;
  /** Run as this user and group (the worker must be root). */
  uid?: number;
  gid?: number;
  /** Aborting terminates the whole process group: SIGTERM, then SIGKILL after `killGraceMs`. */
  signal: AbortSignal;
  killGraceMs: number;
  onStdout(line: string): void;
  onStderr(line: string): void;
}

export interface SpawnResult {
  exitCode: number | null;
  exitSignal: string | null;
  /** True when the process was terminated because `signal` aborted. */
  aborted: boolean;
}

/** How long the pipes may stay open after the process exited (a process that left its group may hold them). */
const PIPE_CLOSE_WAIT_MS = 200;

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Runs one process as the leader of a new process group (a new session: `detached`), streaming its output
 * line by line. Whatever it started in its group is killed when it exits, or when `signal` aborts.
 */
export function spawnProcess(options: SpawnOptions): Promise<SpawnResult> {
  const [file, ...args] = options.command;
  if (!file) return Promise.reject(new Error("no command to run"));
  if (options.signal.aborted) return Promise.resolve({ exitCode: null, exitSignal: null, aborted: true });

  return new Promise((resolve, reject) => {
    const spawnOptions: SpawnOptionsWithStdioTuple<StdioNull, StdioPipe, StdioPipe> = {
      cwd: options.cwd,
      // Only these variables: nothing of the worker's own environment is inherited.
      env: options.env as NodeJS.ProcessEnv,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    };
    if (options.uid !== undefined) spawnOptions.uid = options.uid;
    if (options.gid !== undefined) spawnOptions.gid = options.gid;
    const child = spawn(file, args, spawnOptions);
    const stdout = lineSplitter(options.onStdout);
    const stderr = lineSplitter(options.onStderr);
    child.stdout.on("data", stdout.push);
    child.stderr.on("data", stderr.push);

    let aborted = false;
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    let closeTimer: NodeJS.Timeout | undefined;
    let exit: { code: number | null; signal: string | null } | undefined;

    const onAbort = () => {
      aborted = true;
      killGroup(child.pid, "SIGTERM");
      graceTimer = setTimeout(() => killGroup(child.pid, "SIGKILL"), options.killGraceMs);
    };
    options.signal.addEventListener("abort", onAbort, { once: true });

    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener("abort", onAbort);
      clearTimeout(graceTimer);
      clearTimeout(closeTimer);
      outcome();
    };

    child.on("error", (error) => {
      settle(() => reject(new Error(`cannot start ${file}: ${error.message}`)));
    });
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      // Background processes left in the group would outlive the task (and hold the pipes open).
      killGroup(child.pid, "SIGKILL");
      closeTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      }, PIPE_CLOSE_WAIT_MS);
    });
    const finish = () => {
      if (!exit) return;
      const ended = exit;
      stdout.end();
      stderr.end();
      settle(() => resolve({ exitCode: ended.code, exitSignal: ended.signal, aborted }));
    };
    child.on("close", finish);
  });
}
