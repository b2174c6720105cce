// Webhooks at a steady rate against a standalone Cadenza (standalone-api.ts: web + engine in one process, its
// embedded PostgreSQL in a process group of its own, as `cadenza start` runs it) while faults are injected:
// the whole process group SIGKILLed and restarted, and the PostgreSQL server stopped (immediate shutdown, as
// a crash) for a while and started again on the same port. Afterwards it reads the database directly and
// reports what the checks need: for each webhook answered 200, how many executions carry its unique value;
// which executions have not ended; what was answered while the database was down.
// Used by test/reliability/kill-restart.test.ts (reduced) and bench/reliability.ts (full).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { bootstrapAdmin, createUserToken } from "@/server/auth/bootstrap";
import { createPrismaClient } from "@/server/db/client";
import { freePort } from "@/server/runtime/free-port";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface FaultPlan {
  /** Webhook calls per second. */
  rate: number;
  /** Seconds of firing between faults (and before the first, after the last). */
  segmentSeconds: number;
  /** How many times the whole process is SIGKILLed and restarted. */
  kills: number;
  /** Seconds the PostgreSQL server stays down (0: no outage). */
  outageSeconds: number;
  /** How long every execution gets to end once firing stops. */
  settleSeconds: number;
  log?: (line: string) => void;
}

export interface Answer {
  /** The unique value sent in the body. */
  id: string;
  /** HTTP status, or 0 when no answer came (connection refused or reset, timed out). */
  status: number;
  body: string;
  /** Whether the call was made while the database was down on purpose. */
  duringOutage: boolean;
}

export interface FaultReport {
  answers: Answer[];
  /** Answered 200. */
  accepted: number;
  /** Executions per accepted value: every entry should be 1. */
  executionsPerAccepted: Map<string, number>;
  /** Executions whose value appears more than once, accepted or not. */
  duplicated: string[];
  /** Executions of the flow in total (answered 200 or not: a call cut by a kill may have started one). */
  executions: number;
  /** Executions not in a terminal state after settling: [id, state]. */
  notEnded: Array<[string, string]>;
  /** When some did not end: their task runs and the queue's jobs, to see where they stopped. */
  diagnosis: string;
  faultsSurvived: { kills: number; outages: number };
  /** The process ending by itself (it must not): the end of its output before each. */
  crashes: string[];
  /** Where the process's whole output was kept. */
  serverLog: string;
  /** Calls answered 200 per second of firing, over the whole run (faults included). */
  acceptedPerSecond: number;
  firingSeconds: number;
}

const TERMINAL = new Set(["SUCCESS", "WARNING", "FAILED", "KILLED", "CANCELLED", "SKIPPED"]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A standalone Cadenza in a process group of its own, restartable on its data directory and port. */
class Standalone {
  child: ChildProcess | undefined;
  output = "";
  /** Exits nobody asked for (a crash), with the end of the output before each. */
  crashes: string[] = [];
  /** Everything the process printed, kept after the run for reading. */
  readonly logFile: string;
  constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {
    this.logFile = path.join(os.tmpdir(), `cadenza-reliability-${port}.log`);
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "test/reliability/standalone-api.ts"), String(this.port)],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: "production",
          CADENZA_DATA_DIR: this.dataDir,
          CADENZA_WEBHOOK_RATE_LIMIT: "1000000",
          CADENZA_WORKER_CONCURRENCY: "4",
          CADENZA_RETENTION_DAYS: "0",
        },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
      appendFileSync(this.logFile, chunk);
    };
    child.once("exit", (code, signal) => {
      if (!this.expectingExit)
        this.crashes.push(`exited with ${signal ?? code}:\n${this.output.slice(-4_000)}`);
    });
    this.expectingExit = false;
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    for (let waited = 0; !this.output.includes(`listening ${this.url}`); waited += 100) {
      if (child.exitCode !== null)
        throw new Error(`standalone exited with ${child.exitCode}:\n${this.output}`);
      if (waited > 120_000) throw new Error(`standalone did not start in 120 s:\n${this.output}`);
      await sleep(100);
    }
    this.output = "";
  }

  private expectingExit = false;

  /** SIGKILL to the whole process group: the app and anything it spawned in its group. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    this.expectingExit = true;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, "SIGKILL");
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    this.expectingExit = true;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(child.pid, "SIGTERM");
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

/** The embedded PostgreSQL of a data directory: its postmaster, command line and connection URL. */
class DataDirPostgres {
  private argv: string[] = [];
  private owner = { uid: 0, gid: 0 };
  /** The port it listened on before crash(): postmaster.pid is gone while it is down. */
  private port = 0;
  constructor(readonly dataDir: string) {}

  private get pgDir() {
    return path.join(this.dataDir, "pg");
  }

  postmaster(): { pid: number; port: number } {
    const lines = readFileSync(path.join(this.pgDir, "postmaster.pid"), "utf8").split("\n");
    return { pid: Number(lines[0]), port: Number(lines[3]) };
  }

  url(): string {
    const { user, password } = JSON.parse(
      readFileSync(path.join(this.dataDir, "pg-credentials.json"), "utf8"),
    );
    const port = existsSync(path.join(this.pgDir, "postmaster.pid")) ? this.postmaster().port : this.port;
    return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/cadenza`;
  }

  /** Immediate shutdown (SIGQUIT): what a crash of the server looks like to its clients. */
  async crash(): Promise<void> {
    const { pid, port } = this.postmaster();
    this.port = port;
    this.argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    const stat = statSync(this.pgDir);
    this.owner = { uid: stat.uid, gid: stat.gid };
    process.kill(pid, "SIGQUIT");
    for (let waited = 0; alive(pid); waited += 100) {
      if (waited > 30_000) throw new Error(`PostgreSQL ${pid} did not stop`);
      await sleep(100);
    }
  }

  /** Starts it again with the same command line (same port), as the data directory's owner. */
  async restart(): Promise<void> {
    const [binary, ...args] = this.argv;
    if (!binary) throw new Error("restart() before crash()");
    rmSync(path.join(this.pgDir, "postmaster.pid"), { force: true });
    const child = spawn(binary, args, {
      ...(process.getuid?.() === 0 ? { uid: this.owner.uid, gid: this.owner.gid } : {}),
      env: { ...process.env, LC_MESSAGES: "C" },
      detached: true,
      stdio: "ignore",
    });
    child.unref();
    for (let waited = 0; ; waited += 200) {
      const client = new pg.Client({ connectionString: this.url(), connectionTimeoutMillis: 2_000 });
      client.on("error", () => {});
      const up = await client.connect().then(
        () => true,
        () => false,
      );
      await client.end().catch(() => {});
      if (up) return;
      if (waited > 60_000) throw new Error("PostgreSQL did not come back");
      await sleep(200);
    }
  }

  /** Stops whatever PostgreSQL runs on the data directory (fast shutdown). */
  async stop(): Promise<void> {
    if (!existsSync(path.join(this.pgDir, "postmaster.pid"))) return;
    const { pid } = this.postmaster();
    if (!alive(pid)) return;
    process.kill(pid, "SIGINT");
    for (let waited = 0; alive(pid) && waited < 20_000; waited += 100) await sleep(100);
    if (alive(pid)) process.kill(pid, "SIGKILL");
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const flowYaml = (key: string) => `id: hook
namespace: reliability
tasks:
  - id: received
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.body.n }}"
  - id: wait
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.5S
  - id: done
    type: io.kestra.plugin.core.log.Log
    message: done
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: ${key}
`;

/** Runs the plan and returns what happened; always stops what it started and removes its data directory. */
export async function runFaults(plan: FaultPlan): Promise<FaultReport> {
  const log = plan.log ?? (() => {});
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cadenza-reliability-"));
  chmodSync(dataDir, 0o755); // reachable by the postgres user when we are root
  const server = new Standalone(dataDir, await freePort());
  const postgres = new DataDirPostgres(dataDir);
  const answers: Answer[] = [];
  const inFlight = new Set<Promise<void>>();
  let outage = false;
  let firing = true;
  const faults = { kills: 0, outages: 0 };
  try {
    await server.start();
    log(`started on ${server.url}`);
    const key = randomBytes(12).toString("hex");
    const db = createPrismaClient(postgres.url());
    try {
      await bootstrapAdmin(db, {
        tenantSlug: "main",
        email: "ops@example.com",
        password: "correct horse battery",
      });
      const { token } = await createUserToken(db, {
        tenantSlug: "main",
        email: "ops@example.com",
        name: "ops",
      });
      const deployed = await fetch(`${server.url}/api/v1/main/flows`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/x-yaml" },
        body: flowYaml(key),
      });
      if (deployed.status !== 200) throw new Error(`deploy: ${deployed.status} ${await deployed.text()}`);
    } finally {
      await db.$disconnect();
    }

    const hook = `${server.url}/api/v1/main/executions/webhook/reliability/hook/${key}`;
    const fire = async () => {
      const id = randomBytes(9).toString("base64url");
      const duringOutage = outage;
      const answer: Answer = { id, status: 0, body: "", duringOutage };
      answers.push(answer);
      try {
        const response = await fetch(hook, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ n: id }),
          signal: AbortSignal.timeout(30_000),
        });
        answer.status = response.status;
        answer.body = (await response.text()).slice(0, 2_000);
      } catch {
        answer.status = 0;
      }
    };
    const startedFiring = Date.now();
    const firer = (async () => {
      const interval = 1000 / plan.rate;
      let next = Date.now();
      while (firing) {
        const call = fire();
        inFlight.add(call);
        void call.finally(() => inFlight.delete(call));
        next += interval;
        await sleep(Math.max(0, next - Date.now()));
      }
    })();
    const segment = () => sleep(plan.segmentSeconds * 1000);

    await segment();
    for (let i = 0; i < plan.kills; i++) {
      await server.kill();
      log(`kill -9 #${i + 1}`);
      await server.start();
      faults.kills++;
      log(`restarted #${i + 1}`);
      await segment();
    }
    if (plan.outageSeconds > 0) {
      outage = true;
      await postgres.crash();
      log(`PostgreSQL stopped for ${plan.outageSeconds} s`);
      await sleep(plan.outageSeconds * 1000);
      outage = false;
      await postgres.restart();
      faults.outages++;
      log("PostgreSQL started again");
      await segment();
    }
    firing = false;
    await firer;
    const firingSeconds = (Date.now() - startedFiring) / 1000;
    await Promise.all([...inFlight]);

    // Every execution must end on its own; read the source of truth directly.
    const client = new pg.Client({ connectionString: postgres.url() });
    await client.connect();
    try {
      const read = async () =>
        (
          await client.query<{ id: string; state: string; trigger: string | null }>(
            "select id, state::text as state, trigger::text as trigger from executions where flow_id = 'hook'",
          )
        ).rows;
      let rows = await read();
      for (let waited = 0; waited < plan.settleSeconds * 1000; waited += 1000) {
        if (rows.every((row) => TERMINAL.has(row.state))) break;
        await sleep(1000);
        rows = await read();
      }
      const perValue = new Map<string, number>();
      for (const row of rows) {
        // The body as JSON, or as the string it came as: the value is found either way.
        const value = /\\?"n\\?":\s*\\?"([A-Za-z0-9_-]{12})/.exec(row.trigger ?? "")?.[1];
        if (value) perValue.set(value, (perValue.get(value) ?? 0) + 1);
      }
      const accepted = answers.filter((a) => a.status === 200);
      const stuck = rows.filter((row) => !TERMINAL.has(row.state)).map((row) => row.id);
      let diagnosis = "";
      if (stuck.length > 0) {
        const taskRuns = await client.query(
          "select execution_id, task_id, state::text, attempts::text from task_runs where execution_id = any($1) order by execution_id, position",
          [stuck.slice(0, 3)],
        );
        const jobs = await client.query(
          "select task_identifier, attempts, max_attempts, last_error, locked_by, locked_at, run_at from graphile_worker.jobs order by id limit 30",
        );
        diagnosis = JSON.stringify({ taskRuns: taskRuns.rows, jobs: jobs.rows }, null, 1);
      }
      return {
        diagnosis,
        answers,
        accepted: accepted.length,
        executionsPerAccepted: new Map(accepted.map((a) => [a.id, perValue.get(a.id) ?? 0])),
        duplicated: [...perValue].filter(([, n]) => n > 1).map(([value]) => value),
        executions: rows.length,
        notEnded: rows.filter((row) => !TERMINAL.has(row.state)).map((row) => [row.id, row.state]),
        faultsSurvived: faults,
        crashes: server.crashes,
        serverLog: server.logFile,
        acceptedPerSecond: accepted.length / firingSeconds,
        firingSeconds,
      };
    } finally {
      await client.end();
    }
  } catch (error) {
    throw new Error(`${(error as Error).message}\nserver output:\n${server.output}`, { cause: error });
  } finally {
    firing = false;
    await server.stop().catch(() => {});
    await server.kill().catch(() => {});
    await postgres.stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}
