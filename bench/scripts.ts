/**
 * Benchmark of script tasks (not a test): `npx tsx bench/scripts.ts`.
 *
 * Runs a flow of 40 sequential `scripts.shell.Commands` tasks that run `true`, on the memory engine with the
 * real clock, and measures the time per task from the execution's own timestamps (start to end, divided by
 * 40). Baselines in the same process: spawning `/bin/true` 40 times in a row with child_process (the floor
 * of any process-per-task design), and the process runner alone (fresh working directory + `sh -c true` +
 * cleanup, no engine), once per isolation mode (off, and bubblewrap with the host / no / isolated network:
 * the engine's default is the last). Goal: at most 25 ms per task (Windmill's tuned process-per-task figure is 39.9 ms,
 * Kestra's 86.8 ms).
 */
import { spawn } from "node:child_process";
import { pathToFileURL } from "node:url";
import { loadFlow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import { MemoryEngine } from "@/worker/memory";
import { LocalProcessRunner } from "@/worker/runners";

export interface ScriptsBenchResult {
  name: string;
  msPerTask: number;
  ratioToSpawn: number;
}

const TASKS = 40;
const ROUNDS = 5;

const flowYaml = `id: bench_scripts
namespace: bench
tasks:
${Array.from(
  { length: TASKS },
  (_, i) => `  - id: t${i}
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - "true"
`,
).join("")}`;

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function spawnTrue(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/true", [], { stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", () => resolve());
  });
}

async function spawnBaseline(): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < TASKS; i++) await spawnTrue();
  return (performance.now() - start) / TASKS;
}

async function runnerOnly(runner: LocalProcessRunner): Promise<number> {
  const signal = new AbortController().signal;
  const start = performance.now();
  for (let i = 0; i < TASKS; i++) {
    const workspace = await runner.createWorkspace();
    await workspace.run({ command: ["/bin/sh", "-c", "set -e\ntrue"], signal, onLog: () => undefined });
    await workspace.collect([]);
    await workspace.dispose();
  }
  return (performance.now() - start) / TASKS;
}

async function throughEngine(): Promise<number> {
  const registry = builtInRegistry();
  const { flow, errors } = loadFlow(flowYaml, { registry });
  if (!flow) throw new Error(`bench flow is invalid: ${errors[0]?.message}`);
  const engine = new MemoryEngine({ registry });
  const started = await engine.start(flow);
  const done = await engine.wait(started.id);
  if (done.state.current !== "SUCCESS") throw new Error(`bench execution ended ${done.state.current}`);
  const { startDate, endDate } = done.state;
  return (Date.parse(endDate ?? startDate) - Date.parse(startDate)) / TASKS;
}

const MODES = {
  "isolation off": new LocalProcessRunner({ isolation: false }),
  "bwrap, network host": new LocalProcessRunner({ network: "host" }),
  "bwrap, network none": new LocalProcessRunner({ network: "none" }),
  "bwrap, network isolated (default)": new LocalProcessRunner({ network: "isolated" }),
};

export async function runScriptsBench(): Promise<ScriptsBenchResult[]> {
  // Warm up: the runner's base directory and helpers, the code paths, the OS caches.
  await spawnBaseline();
  for (const runner of Object.values(MODES)) await runnerOnly(runner);
  await throughEngine();
  const spawnMs: number[] = [];
  const runnerMs = new Map<string, number[]>();
  const engineMs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    spawnMs.push(await spawnBaseline());
    for (const [mode, runner] of Object.entries(MODES)) {
      runnerMs.set(mode, [...(runnerMs.get(mode) ?? []), await runnerOnly(runner)]);
    }
    engineMs.push(await throughEngine());
  }
  const floor = median(spawnMs);
  return [
    { name: "spawn /bin/true (baseline)", msPerTask: floor, ratioToSpawn: 1 },
    ...[...runnerMs].map(([mode, values]) => ({
      name: `process runner (${mode}): workspace + sh -c true`,
      msPerTask: median(values),
      ratioToSpawn: median(values) / floor,
    })),
    {
      name: "scripts.shell.Commands on the memory engine",
      msPerTask: median(engineMs),
      ratioToSpawn: median(engineMs) / floor,
    },
  ];
}

async function main(): Promise<void> {
  const results = await runScriptsBench();
  console.log(
    `Script tasks: ${TASKS} sequential scripts.shell.Commands running \`true\`, median of ${ROUNDS} rounds (goal: at most 25 ms per task)`,
  );
  console.table(
    results.map((r) => ({
      case: r.name,
      "ms per task": r.msPerTask.toFixed(2),
      "x spawn": r.ratioToSpawn.toFixed(1),
    })),
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
