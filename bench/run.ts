/**
 * Runs every benchmark and prints the figures, each as a ratio to a baseline measured in the same process:
 * `npm run bench`. Results are also written to bench/results/<date>.json (not committed).
 * `npm run bench -- peers` runs the peer comparison instead (bench/peers: Cadenza beside DBOS, Restate
 * and Temporal on this machine), written to bench/results/peers-<date>.{json,md}.
 * `npm run bench -- reliability` runs the load-and-faults bench instead (bench/reliability.ts).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { parseEnv } from "@/server/env";
import { runEngineBench } from "./engine";
import { runExecutionListBench } from "./executions-list";
import { runExprBench } from "./expr";
import { runFlowLanguageBench } from "./flow-language";
import { runScriptsBench } from "./scripts";
import { runSerdesBench } from "./serdes";

if (process.argv.slice(2).includes("peers")) {
  const { printPeersReport, runPeersBench, writePeersReport } = await import("./peers/index");
  const report = await runPeersBench({ databaseUrl: parseEnv().DATABASE_URL });
  printPeersReport(report);
  console.log(`written to ${writePeersReport(report)}.{json,md}`);
  process.exit(0);
}

if (process.argv.slice(2).includes("reliability")) {
  const { reliabilityBenchMain } = await import("./reliability");
  process.exit(await reliabilityBenchMain());
}

const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };

console.log("Flow language: parse + validate a generated flow of 1,000 tasks");
const flow = await runFlowLanguageBench();
console.table(
  flow.map((r) => ({
    case: r.name,
    "ms / 1,000 tasks": r.msPer1000Tasks.toFixed(2),
    "x JSON.parse": r.ratioToJsonParse.toFixed(1),
  })),
);
results.flowLanguage = flow;

console.log("Expressions: 100,000 renders per case, compiled once");
const expr = await runExprBench();
console.table(
  expr.map((r) => ({
    case: r.name,
    "renders/s": Math.round(r.opsPerSec).toLocaleString("en-US"),
    "x slower than plain JS": r.ratio.toFixed(1),
  })),
);
results.expressions = expr;

console.log("Script tasks: 40 sequential scripts.shell.Commands running `true` (memory engine)");
const scripts = await runScriptsBench();
console.table(
  scripts.map((r) => ({
    case: r.name,
    "ms/task": r.msPerTask.toFixed(2),
    "x spawn": r.ratioToSpawn.toFixed(1),
  })),
);
results.scripts = scripts;

console.log("Embedded engine on PostgreSQL (DATABASE_URL's server, else an embedded one)");
const engine = await runEngineBench({ databaseUrl: parseEnv().DATABASE_URL });
console.table(
  engine.map((r) => ({
    case: r.name,
    value: `${r.value.toFixed(2)} ${r.unit}`,
    "x floor": r.ratioToFloor.toFixed(1),
    note: r.note ?? "",
  })),
);
results.engine = engine;

const executions = Number(process.env.BENCH_EXECUTIONS ?? 1_000_000);
console.log(
  `Executions list and dashboard on ${executions.toLocaleString("en-US")} executions in one tenant`,
);
const list = await runExecutionListBench({ databaseUrl: parseEnv().DATABASE_URL, executions });
console.table(list.map((r) => ({ query: r.name, "ms (median of 5)": r.ms.toFixed(1), "goal ms": 300 })));
results.executionList = list;

const serdesRows = Number(process.env.BENCH_SERDES_ROWS ?? 1_000_000);
console.log(
  `Serdes: ${serdesRows.toLocaleString("en-US")} CSV rows converted on a LocalStorage (memory engine)`,
);
const serdes = await runSerdesBench(serdesRows);
console.table(
  serdes.map((r) => ({
    case: r.name,
    "rows/s": Math.round(r.rowsPerSec).toLocaleString("en-US"),
    "x floor": ((serdes[0]?.rowsPerSec ?? 0) / r.rowsPerSec).toFixed(1),
    "peak RSS MiB": r.peakRssMiB.toFixed(0),
  })),
);
results.serdes = serdes;

mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
const file = new URL(
  `./results/${String(results.date).slice(0, 19).replace(/:/g, "-")}.json`,
  import.meta.url,
);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`written to ${file.pathname}`);
