import { type ChildProcess, type SpawnOptions as NodeSpawnOptions, spawn } from "node:child_process";
import type { Readable } from "node:stream";
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
  /** How to ask the process to stop when `signal` aborts; default: SIGTERM to its process group. */
  terminate?(): void;
  /** Extra pipes after stdout and stderr (fds 3, 4...), for `prepare`. */
  extraPipes?: number;
  /**
   * Runs once the process is started (e.g. to connect a sandbox's network); the process is killed and the
   * run rejected if it throws. Its result runs once the process has ended.
   */
  prepare?(child: ChildProcess): Promise<() => Promise<void>>;
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
    const spawnOptions: NodeSpawnOptions = {
      cwd: options.cwd,
      // Only these variables: nothing of the worker's own environment is inherited.
      env: options.env as NodeJS.ProcessEnv,
      detached: true,
      stdio: [
        "ignore",
        "pipe",
        "pipe",
        ...Array.from({ length: options.extraPipes ?? 0 }, () => "pipe" as const),
      ],
    };
    if (options.uid !== undefined) spawnOptions.uid = options.uid;
    if (options.gid !== undefined) spawnOptions.gid = options.gid;
    const child = spawn(file, args, spawnOptions);
    const childStdout = child.stdout as Readable;
    const childStderr = child.stderr as Readable;
    const stdout = lineSplitter(options.onStdout);
    const stderr = lineSplitter(options.onStderr);
    childStdout.on("data", stdout.push);
    childStderr.on("data", stderr.push);
    let cleanup: Promise<(() => Promise<void>) | undefined> = Promise.resolve(undefined);
    let prepareError: Error | undefined;
    if (options.prepare && child.pid) {
      cleanup = options.prepare(child).catch((error: Error) => {
        prepareError = error;
        killGroup(child.pid, "SIGKILL");
        return undefined;
      });
    }

    let aborted = false;
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    let closeTimer: NodeJS.Timeout | undefined;
    let exit: { code: number | null; signal: string | null } | undefined;

    const onAbort = () => {
      aborted = true;
      if (options.terminate) options.terminate();
      else killGroup(child.pid, "SIGTERM");
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
      const cause = new Error(`cannot start ${file}: ${error.message}`);
      void cleanup.then(() => settle(() => reject(cause)));
    });
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      // Background processes left in the group would outlive the task (and hold the pipes open).
      killGroup(child.pid, "SIGKILL");
      closeTimer = setTimeout(() => {
        childStdout.destroy();
        childStderr.destroy();
        finish();
      }, PIPE_CLOSE_WAIT_MS);
    });
    let finishing = false;
    const finish = () => {
      if (!exit || finishing) return;
      finishing = true;
      const ended = exit;
      stdout.end();
      stderr.end();
      void cleanup.then(async (stop) => {
        await stop?.().catch(() => undefined);
        if (prepareError) {
          const error = prepareError;
          settle(() => reject(error));
        } else settle(() => resolve({ exitCode: ended.code, exitSignal: ended.signal, aborted }));
      });
    };
    child.on("close", finish);
  });
}
