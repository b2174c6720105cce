/**
 * The peer comparison: `npm run bench -- peers`. The same workloads, in one run on this machine, on
 * Cadenza (embedded with light tasks inline, embedded with every task queued, Temporal mode), DBOS
 * Transact, Restate and plain Temporal; every figure with its ratio to Cadenza inline (the default).
 * Each system runs alone, in a process of its own (bench/peers/apps, protocol.ts), one after the other;
 * PostgreSQL (DATABASE_URL's, else one embedded PostgreSQL) and the Temporal dev server are shared.
 *   1. BENCH_CHAIN_STEPS (40) sequential trivial steps: per-step overhead from each step's own created /
 *      started / ended times (Windmill's method, stats.ts), median of BENCH_CHAIN_ROUNDS (5) runs;
 *   2. 3 sequential steps returning constants: median and p95 start-to-result over BENCH_RUNS (100) runs
 *      after BENCH_WARMUP (10), and the throughput of BENCH_BURST (200) runs started at once;
 *   3. Kestra's benchmark flows (2 tasks; 5 If tasks; a 100-iteration loop) started through each system's
 *      HTTP ingress at stepped rates (BENCH_RATES per minute, BENCH_RATE_SECONDS (10) each): the highest
 *      rate whose p99 start-to-end stays under 1 s (load.ts).
 * BENCH_PEERS picks systems (comma-separated keys, default all); BENCH_FLOWS picks workload 3's flows.
 * BENCH_QUICK=1 shrinks every size for a 2–3 minute run. Peers are installed on first use (install.ts).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { applyMigrations } from "@/server/db/migrate";
import { migrationsDir } from "@/server/paths";
import { openDatabase } from "@/server/runtime/database";
import { temporalCliPath } from "@/server/runtime/temporal-dev";
import { startTestTemporal, type TestTemporal } from "@/test/temporal";
import { declaredVersions, installNpmPeers, installTemporal, restateAvailable } from "./install";
import { highestRate, type RateStep } from "./load";
import type { AppInfo, StepTimes } from "./protocol";
import { median, overheadPerStep, percentile } from "./stats";

const root = fileURLToPath(new URL("../..", import.meta.url));
const quick = process.env.BENCH_QUICK === "1";
const num = (name: string, full: number, small: number) =>
  Number(process.env[name] ?? (quick ? small : full));
const sizes = {
  chainSteps: num("BENCH_CHAIN_STEPS", 40, 40),
  chainRounds: num("BENCH_CHAIN_ROUNDS", 5, 3),
  warmup: num("BENCH_WARMUP", 10, 5),
  runs: num("BENCH_RUNS", 100, 30),
  burst: num("BENCH_BURST", 200, 100),
  rateSeconds: num("BENCH_RATE_SECONDS", 10, 2),
  rates: (process.env.BENCH_RATES ?? (quick ? "600,2400,9600" : "250,500,1000,2000,4000,8000,16000,32000"))
    .split(",")
    .map(Number),
  flows: (process.env.BENCH_FLOWS ?? "two,ifs,loop").split(",") as (keyof AppInfo["ingress"])[],
};
const LIMIT_MS = 1000;

interface System {
  key: string;
  label: string;
  app: string;
  env?: Record<string, string>;
  database?: "cadenza" | "plain";
  temporal?: boolean;
  npm?: boolean;
}

const SYSTEMS: System[] = [
  {
    key: "cadenza-inline",
    label: "Cadenza inline",
    app: "cadenza.ts",
    env: { BENCH_CADENZA_MODE: "inline" },
    database: "cadenza",
  },
  {
    key: "cadenza-queued",
    label: "Cadenza queued",
    app: "cadenza.ts",
    env: { BENCH_CADENZA_MODE: "queued" },
    database: "cadenza",
  },
  {
    key: "cadenza-temporal",
    label: "Cadenza Temporal mode",
    app: "cadenza.ts",
    env: { BENCH_CADENZA_MODE: "temporal" },
    database: "cadenza",
    temporal: true,
  },
  { key: "dbos", label: "DBOS", app: "dbos.ts", database: "plain", npm: true },
  { key: "restate", label: "Restate", app: "restate.ts", npm: true },
  { key: "temporal", label: "plain Temporal", app: "temporal.ts", temporal: true },
];

/** One figure of one system: a number, or why there is none. */
type Figure = { value: number; note?: string } | { error: string };

interface Measures {
  overhead: Figure;
  /** The chain's start to result, as its caller sees it, per step. */
  wall: Figure;
  median: Figure;
  p95: Figure;
  burst: Figure;
  rates: Partial<Record<keyof AppInfo["ingress"], Figure>>;
}

interface RunningApp {
  info: AppInfo & { base: string };
  stop(): Promise<void>;
}

async function startApp(system: System, env: Record<string, string>): Promise<RunningApp> {
  const tsx = join(root, "node_modules", "tsx", "dist", "cli.mjs");
  const child: ChildProcess = spawn(
    process.execPath,
    [tsx, join(root, "bench", "peers", "apps", system.app)],
    {
      cwd: root,
      env: { ...process.env, ...env, ...system.env },
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.stdin?.end();
    const timer = setTimeout(() => child.kill("SIGKILL"), 40_000);
    await exited;
    clearTimeout(timer);
  };
  const info = await new Promise<RunningApp["info"]>((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error("did not start in 180 s")), 180_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split("\n").find((l) => l.startsWith("READY "));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(6)) as RunningApp["info"]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  child.stdout?.resume();
  return { info, stop };
}

async function post<T>(base: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(180_000),
  });
  const value = (await response.json()) as T & { message?: string };
  if (!response.ok) throw new Error(value.message ?? `${path}: ${response.status}`);
  return value;
}

const failed = (error: unknown): Figure => ({ error: String((error as Error)?.message ?? error) });

async function measure(app: RunningApp, label: string): Promise<Measures> {
  const base = app.info.base;
  const log = (m: string) => console.log(`  ${label}: ${m}`);
  const out: Measures = {
    overhead: { error: "not run" },
    wall: { error: "not run" },
    median: { error: "not run" },
    p95: { error: "not run" },
    burst: { error: "not run" },
    rates: {},
  };
  try {
    const chain = () => post<{ steps: StepTimes[]; ms: number }>(base, "/chain", { n: sizes.chainSteps });
    await chain();
    const overheads: number[] = [];
    const walls: number[] = [];
    for (let i = 0; i < sizes.chainRounds; i++) {
      const { steps, ms } = await chain();
      if (steps.length !== sizes.chainSteps) throw new Error(`${steps.length} steps recorded`);
      overheads.push(overheadPerStep(steps));
      walls.push(ms / sizes.chainSteps);
    }
    out.overhead = { value: median(overheads) };
    out.wall = { value: median(walls) };
    log(
      `per-step overhead ${overheads.map((o) => o.toFixed(2)).join(", ")} ms; start to result per step ${walls.map((o) => o.toFixed(2)).join(", ")} ms`,
    );
  } catch (error) {
    out.overhead = out.wall = failed(error);
  }
  try {
    for (let i = 0; i < sizes.warmup; i++) await post(base, "/three", {});
    const latencies: number[] = [];
    for (let i = 0; i < sizes.runs; i++) latencies.push((await post<{ ms: number }>(base, "/three", {})).ms);
    out.median = { value: median(latencies) };
    out.p95 = { value: percentile(latencies, 0.95) };
    const { ms } = await post<{ ms: number }>(base, "/burst", { count: sizes.burst });
    out.burst = { value: sizes.burst / (ms / 1000), note: `${Math.round(ms)} ms` };
    log(
      `3 steps: median ${median(latencies).toFixed(1)} ms, p95 ${percentile(latencies, 0.95).toFixed(1)} ms; ${sizes.burst} at once in ${Math.round(ms)} ms`,
    );
  } catch (error) {
    out.median = out.p95 = out.burst = failed(error);
  }
  for (const flow of sizes.flows) {
    try {
      for (let i = 0; i < 3; i++) {
        const warm = await fetch(app.info.ingress[flow], {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        });
        if (!warm.ok)
          throw new Error(`ingress answered ${warm.status}: ${(await warm.text()).slice(0, 200)}`);
        await warm.arrayBuffer();
      }
      const { best, steps } = await highestRate(
        app.info.ingress[flow],
        sizes.rates,
        sizes.rateSeconds,
        LIMIT_MS,
        (s: RateStep) =>
          log(
            `${flow} at ${s.perMinute}/min: p99 ${Number.isFinite(s.p99) ? Math.round(s.p99) : "-"} ms, ${s.failed} failed of ${s.sent}${s.passed ? "" : " (over)"}`,
          ),
      );
      const last = steps.at(-1);
      out.rates[flow] = best
        ? {
            value: best.perMinute,
            note: `p99 ${Math.round(best.p99)} ms${best === last ? "; the highest rate tried" : ""}`,
          }
        : { error: `under ${sizes.rates[0]}/min` };
    } catch (error) {
      out.rates[flow] = failed(error);
    }
  }
  return out;
}

function versions(pgVersion: string): string {
  const peers = declaredVersions();
  const temporalCli = spawnSync(temporalCliPath, ["--version"], { encoding: "utf8" }).stdout?.trim() ?? "";
  const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    version: string;
    dependencies: Record<string, string>;
  };
  return [
    `Cadenza ${rootManifest.version}`,
    `DBOS Transact ${peers.dbos}`,
    `Restate server ${peers.restateServer} (TypeScript SDK ${peers.restateSdk})`,
    `Temporal ${temporalCli.replace(/^temporal version /, "CLI ")} (TypeScript SDK ${rootManifest.dependencies["@temporalio/client"]})`,
    `Node ${process.version}`,
    pgVersion,
  ].join("; ");
}

export interface PeersReport {
  systems: { key: string; label: string; system?: string; measures?: Measures; error?: string }[];
  versions: string;
  load: { before: number[]; after: number[] };
  sizes: typeof sizes;
  markdown: string;
}

export async function runPeersBench(options: { databaseUrl?: string } = {}): Promise<PeersReport> {
  const before = loadavg();
  const wanted = process.env.BENCH_PEERS?.split(",");
  const systems = SYSTEMS.filter((s) => !wanted || wanted.includes(s.key));
  const say = (m: string) => console.log(m);
  const npmProblem = systems.some((s) => s.npm) ? installNpmPeers(say) : undefined;
  const restateProblem = npmProblem ?? restateAvailable();
  const temporalProblem = systems.some((s) => s.temporal) ? installTemporal(say) : undefined;

  const dataDir = mkdtempSync(join(tmpdir(), "cadenza-bench-peers-"));
  chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as `postgres` when we are root
  const database = await openDatabase({ databaseUrl: options.databaseUrl, dataDir });
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  const pgVersion =
    (await admin.query<{ server_version: string }>("show server_version")).rows[0]?.server_version ?? "?";
  let temporal: TestTemporal | undefined;
  const created: string[] = [];
  const report: PeersReport["systems"] = [];
  try {
    for (const system of systems) {
      const problem =
        (system.npm ? (system.key === "restate" ? restateProblem : npmProblem) : undefined) ??
        (system.temporal ? temporalProblem : undefined);
      if (problem) {
        report.push({ key: system.key, label: system.label, error: `not installed: ${problem}` });
        continue;
      }
      const env: Record<string, string> = { CADENZA_WEBHOOK_RATE_LIMIT: "100000000" };
      if (system.database) {
        const name = `bench_peers_${system.key.replace(/-/g, "_")}_${Date.now()}`;
        await admin.query(`create database ${name}`);
        created.push(name);
        const url = new URL(database.url);
        url.pathname = `/${name}`;
        if (system.database === "cadenza") await applyMigrations(url.toString(), migrationsDir);
        env.BENCH_DATABASE_URL = url.toString();
      }
      if (system.temporal) {
        try {
          // A fresh dev server per system: one system's leftovers (or a crash under load) never weigh on
          // the next.
          await temporal?.stop();
          temporal = await startTestTemporal();
          env.BENCH_TEMPORAL_ADDRESS = temporal.address;
        } catch (error) {
          report.push({
            key: system.key,
            label: system.label,
            error: `not started: ${(error as Error).message}`,
          });
          continue;
        }
      }
      console.log(`${system.label}: starting`);
      let app: RunningApp | undefined;
      try {
        app = await startApp(system, env);
        const measures = await measure(app, system.label);
        report.push({ key: system.key, label: system.label, system: app.info.system, measures });
      } catch (error) {
        report.push({
          key: system.key,
          label: system.label,
          error: `not started: ${(error as Error).message}`,
        });
      } finally {
        await app?.stop();
      }
    }
  } finally {
    await temporal?.stop();
    for (const name of created) await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const result: Omit<PeersReport, "markdown"> = {
    systems: report,
    versions: versions(`PostgreSQL ${pgVersion}`),
    load: { before, after: loadavg() },
    sizes,
  };
  return { ...result, markdown: toMarkdown(result) };
}

interface Row {
  workload: string;
  unit: string;
  /** true when a higher figure is better (a rate). */
  higher: boolean;
  pick: (m: Measures) => Figure | undefined;
}

const ROWS: Row[] = [
  {
    workload: `1. ${sizes.chainSteps} sequential steps: overhead per step`,
    unit: "ms",
    higher: false,
    pick: (m) => m.overhead,
  },
  {
    workload: `1. ${sizes.chainSteps} sequential steps: start to result ÷ ${sizes.chainSteps}`,
    unit: "ms",
    higher: false,
    pick: (m) => m.wall,
  },
  { workload: "2. 3 steps: median start to end", unit: "ms", higher: false, pick: (m) => m.median },
  { workload: "2. 3 steps: p95 start to end", unit: "ms", higher: false, pick: (m) => m.p95 },
  {
    workload: `2. 3 steps: ${sizes.burst} started at once`,
    unit: "runs/s",
    higher: true,
    pick: (m) => m.burst,
  },
  ...(["two", "ifs", "loop"] as const).map(
    (flow): Row => ({
      workload: `3. ${{ two: "2-task flow", ifs: "5 If tasks", loop: "100-iteration loop" }[flow]}: highest rate, p99 < 1 s`,
      unit: "/min",
      higher: true,
      pick: (m) => m.rates[flow],
    }),
  ),
];

const shown = (value: number) =>
  value >= 100
    ? Math.round(value).toLocaleString("en-US")
    : value >= 10
      ? value.toFixed(1)
      : value.toFixed(2);

/** The cells of one row: each system's figure, and beside a peer's its ratio to Cadenza inline. */
function cells(row: Row, systems: PeersReport["systems"]): string[] {
  const reference = systems.find((s) => s.key === "cadenza-inline")?.measures;
  const ref = reference ? row.pick(reference) : undefined;
  return systems.map((s) => {
    if (!s.measures) return s.error ?? "—";
    const figure = row.pick(s.measures);
    if (!figure) return "—";
    if ("error" in figure) return figure.error;
    const text = `${shown(figure.value)} ${row.unit}`;
    if (s.key === "cadenza-inline" || !ref || "error" in ref) return text;
    // Above 1: Cadenza inline is ahead (slower peer for times, fewer runs for rates).
    const ratio = row.higher ? ref.value / figure.value : figure.value / ref.value;
    return `${text} (${ratio.toFixed(ratio >= 10 ? 0 : 1)}×)`;
  });
}

export function toMarkdown(report: Omit<PeersReport, "markdown">): string {
  const head = ["workload", ...report.systems.map((s) => s.label)];
  const lines = [
    `| ${head.join(" | ")} |`,
    `| ${head.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
    ...ROWS.map((row) => `| ${[row.workload, ...cells(row, report.systems)].join(" | ")} |`),
  ];
  return lines.join("\n");
}

export function printPeersReport(report: PeersReport): void {
  console.log(
    "Peers, same machine, same run (ratio = the peer's figure against Cadenza inline's; above 1, Cadenza is ahead)",
  );
  console.table(
    ROWS.map((row) =>
      Object.fromEntries([
        ["workload", row.workload],
        ...report.systems.map((s, i) => [s.label, cells(row, report.systems)[i]]),
      ]),
    ),
  );
  for (const s of report.systems) if (s.error) console.log(`${s.label}: ${s.error}`);
  console.log(`Versions: ${report.versions}`);
  console.log(
    `Load average before ${report.load.before.map((l) => l.toFixed(2)).join(" ")}, after ${report.load.after.map((l) => l.toFixed(2)).join(" ")}`,
  );
}

export function writePeersReport(report: PeersReport): string {
  const dir = fileURLToPath(new URL("../results/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `peers-${new Date().toISOString().slice(0, 19).replace(/:/g, "-")}`);
  writeFileSync(`${file}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${file}.md`, `${report.markdown}\n\n${report.versions}\n`);
  return file;
}
