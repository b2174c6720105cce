// One conformance case run in this process through a driver's `cadenza flow run` code path
// (runFlowEmbedded, runFlowTemporal): the case's command line read as the CLI reads it, the run's stdout
// captured, and the execution it prints checked against the case's expectations.
import { expect } from "vitest";
import type { CliIo } from "@/cli/command";
import { loadFile } from "@/cli/flows/load-files";
import { parseInputs, type RunFlowOptions, type RunFlowResult } from "@/cli/flows/run-flow";
import type { Flow } from "@/engine/flow";
import type { PluginRegistry } from "@/engine/plugin";
import { type ConformanceCase, caseArgs, checkExpectations } from "./corpus";

type CaseRunOptions = RunFlowOptions & { sources: Map<Flow, string> };

export async function runCaseInProcess(
  c: ConformanceCase,
  registry: PluginRegistry,
  run: (options: CaseRunOptions, io: CliIo) => Promise<RunFlowResult>,
  /** How long the run may take before it is killed: a bound on a hang, not a speed check. */
  timeoutMs = 60_000,
): Promise<void> {
  const [file, ...rest] = caseArgs(c) as [string, ...string[]];
  const main = loadFile(file, registry);
  const flows: Flow[] = [];
  const sources = new Map(main.sources);
  const inputs: string[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    if (rest[i] === "--input") inputs.push(rest[i + 1] as string);
    if (rest[i] === "--flows") {
      const other = loadFile(rest[i + 1] as string, registry);
      flows.push(...other.flows);
      for (const [flow, source] of other.sources) sources.set(flow, source);
    }
  }
  expect(parseInputs(inputs)).not.toBeTypeOf("string");
  let stdout = "";
  let stderr = "";
  const result = await run(
    { flow: main.flows[0] as Flow, flows, sources, inputs, registry, quiet: true, timeoutMs },
    {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
    },
  );
  expect(result.code, stderr).toBe(0);
  checkExpectations(JSON.parse(stdout), c.expect);
}
