/**
 * Benchmark of the expression engine (not a test): `npx tsx bench/expr.ts`.
 *
 * Renders typical Kestra expressions through the public `render()` (templates are compiled
 * once and then served from the cache by their text) and compares each with plain JavaScript
 * doing the same lookups and string building, measured in the same process after a warm-up.
 * `ratio` is how many times slower the engine is than that baseline.
 */
import { pathToFileURL } from "node:url";
import { render } from "@/engine/expr";

export interface ExprBenchResult {
  name: string;
  opsPerSec: number;
  ratio: number;
}

const ITERATIONS = 100_000;
const WARMUP = 20_000;

type Ctx = {
  outputs: { t1: { value: string } };
  inputs: { name: string; items: string[] };
  taskrun: { attemptsCount: number; startDate: string };
  task: { id: string };
};

const context: Ctx = {
  outputs: { t1: { value: "hello" } },
  inputs: { name: "world", items: ["a", "b", "c"] },
  taskrun: { attemptsCount: 3, startDate: "2024-01-15T10:00:00Z" },
  task: { id: "t1" },
};

interface Case {
  name: string;
  template: string;
  baseline: (c: Ctx) => string;
}

const CASES: Case[] = [
  { name: "attribute", template: "{{ outputs.t1.value }}", baseline: (c) => String(c.outputs.t1.value) },
  {
    name: "text + filter",
    template: "Hello {{ inputs.name | upper }}",
    baseline: (c) => `Hello ${c.inputs.name.toUpperCase()}`,
  },
  {
    name: "ternary",
    template: "{{ taskrun.attemptsCount == 3 ? 'ok' : 'retry' }}",
    baseline: (c) => (c.taskrun.attemptsCount === 3 ? "ok" : "retry"),
  },
  {
    name: "filter chain",
    template: "{{ inputs.items | join(',') | upper | replace({'A': 'x'}) }}",
    baseline: (c) => c.inputs.items.join(",").toUpperCase().split("A").join("x"),
  },
  {
    name: "two prints",
    template: "{{ task.id }} > {{ taskrun.startDate }}",
    baseline: (c) => `${c.task.id} > ${c.taskrun.startDate}`,
  },
];

function measure(run: () => string, iterations: number): number {
  let sink = 0;
  const start = performance.now();
  for (let i = 0; i < iterations; i++) sink += run().length;
  const ms = performance.now() - start;
  if (sink < 0) throw new Error("unreachable");
  return (iterations / ms) * 1000;
}

export async function runExprBench(): Promise<ExprBenchResult[]> {
  const results: ExprBenchResult[] = [];
  for (const c of CASES) {
    const engine = () => render(c.template, context, { now: () => new Date(), random: Math.random });
    const baseline = () => c.baseline(context);
    if (engine() !== baseline())
      throw new Error(`bench case "${c.name}" renders ${engine()} but expected ${baseline()}`);
    measure(engine, WARMUP);
    measure(baseline, WARMUP);
    const opsPerSec = measure(engine, ITERATIONS);
    const baselineOps = measure(baseline, ITERATIONS);
    results.push({ name: c.name, opsPerSec, ratio: baselineOps / opsPerSec });
  }
  return results;
}

async function main(): Promise<void> {
  const results = await runExprBench();
  const rows = results.map((r) => ({
    case: r.name,
    "expressions/s": Math.round(r.opsPerSec).toLocaleString("en-US"),
    "x slower than plain JS": r.ratio.toFixed(1),
  }));
  console.log(
    `Expression engine, ${ITERATIONS.toLocaleString("en-US")} renders per case (after ${WARMUP} warm-up)`,
  );
  console.table(rows);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
