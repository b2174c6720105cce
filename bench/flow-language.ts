/**
 * Benchmark of the flow language (not a test): `npx tsx bench/flow-language.ts`.
 *
 * Parses and validates a generated flow of 1,000 tasks (runnable tasks, nested Sequential / Parallel / If /
 * ForEach blocks, retries and runIf), and compares with two baselines run in the same process: JSON.parse of
 * the same flow written as JSON (the floor of any parser) and the yaml package's plain parse (our YAML layer).
 */
import { pathToFileURL } from "node:url";
import { parse as parseYaml, stringify } from "yaml";
import { loadFlow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";

export interface FlowBenchResult {
  name: string;
  msPer1000Tasks: number;
  ratioToJsonParse: number;
}

type Task = Record<string, unknown>;

/** A flow of exactly `count` tasks, nested in blocks of 10, in the shapes real flows use. */
export function generateFlow(count: number): { flow: Record<string, unknown>; tasks: number } {
  let made = 0;
  const leaf = (): Task => {
    const n = made++;
    switch (n % 4) {
      case 0:
        return {
          id: `log_${n}`,
          type: "io.kestra.plugin.core.log.Log",
          message: "Processing {{ inputs.region }} item " + n,
        };
      case 1:
        return {
          id: `ret_${n}`,
          type: "io.kestra.plugin.core.debug.Return",
          format: "{{ outputs.log_" + (n - 1) + " ?? 'none' }}",
        };
      case 2:
        return {
          id: `retry_${n}`,
          type: "core.log.Log",
          message: "x",
          retry: { type: "exponential", interval: "PT1S", maxInterval: "PT1M", maxAttempts: 3 },
          timeout: "PT5M",
        };
      default:
        return { id: `cond_${n}`, type: "core.debug.Return", format: "y", runIf: "{{ inputs.enabled }}" };
    }
  };
  const tasks: Task[] = [];
  const blocks = [
    "core.flow.Sequential",
    "core.flow.Parallel",
    "io.kestra.plugin.core.flow.If",
    "core.flow.ForEach",
  ];
  let b = 0;
  while (made < count) {
    const size = Math.min(9, count - made - 1);
    if (size <= 0) {
      tasks.push(leaf());
      continue;
    }
    const block = blocks[b++ % blocks.length] as string;
    const id = `block_${made++}`;
    const children = Array.from({ length: size }, leaf);
    if (block.endsWith("If"))
      tasks.push({ id, type: block, condition: "{{ inputs.enabled }}", then: children });
    else if (block.endsWith("ForEach")) tasks.push({ id, type: block, values: ["a", "b"], tasks: children });
    else tasks.push({ id, type: block, tasks: children });
  }
  return {
    flow: {
      id: "big",
      namespace: "bench.flows",
      inputs: [
        { id: "region", type: "STRING", defaults: "eu" },
        { id: "enabled", type: "BOOLEAN", defaults: true },
      ],
      tasks,
    },
    tasks: made,
  };
}

function timeIt(run: () => void, minMs = 1500): number {
  for (let i = 0; i < 5; i++) run();
  let iterations = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    run();
    iterations++;
  }
  return (performance.now() - start) / iterations;
}

export async function runFlowLanguageBench(): Promise<FlowBenchResult[]> {
  const { flow, tasks } = generateFlow(1000);
  const yamlText = stringify(flow);
  const jsonText = JSON.stringify(flow);
  const registry = builtInRegistry();
  const check = loadFlow(yamlText, { registry });
  if (check.errors.length > 0) throw new Error(`generated flow is invalid: ${check.errors[0]?.message}`);
  const scale = 1000 / tasks;
  const json = timeIt(() => JSON.parse(jsonText)) * scale;
  const yaml = timeIt(() => parseYaml(yamlText)) * scale;
  const load = timeIt(() => loadFlow(yamlText, { registry })) * scale;
  return [
    { name: "JSON.parse (baseline)", msPer1000Tasks: json, ratioToJsonParse: 1 },
    { name: "yaml parse only", msPer1000Tasks: yaml, ratioToJsonParse: yaml / json },
    { name: "loadFlow: parse + validate", msPer1000Tasks: load, ratioToJsonParse: load / json },
  ];
}

async function main(): Promise<void> {
  const results = await runFlowLanguageBench();
  console.log(
    "Flow language: a generated flow of 1,000 tasks (target: validation under 20 ms per 1,000 tasks)",
  );
  console.table(
    results.map((r) => ({
      case: r.name,
      "ms per 1,000 tasks": r.msPer1000Tasks.toFixed(2),
      "x JSON.parse": r.ratioToJsonParse.toFixed(1),
    })),
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
