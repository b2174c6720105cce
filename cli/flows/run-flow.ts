import { type Execution, InputValidationError, isTerminal, toExecutionJson } from "@/engine/executor";
import type { Flow } from "@/engine/flow";
import type { HttpPolicy, PluginRegistry } from "@/engine/plugin";
import { newId } from "@/worker/ids";
import type { LogEntry } from "@/worker/logs";
import { MemoryEngine } from "@/worker/memory";
import type { CliIo } from "../command";
import { resolveFileInputs } from "./file-inputs";
import { environmentSecrets } from "./secrets";

export interface RunFlowOptions {
  flow: Flow;
  /** Other flows, for subflows and Flow triggers. */
  flows: Flow[];
  /** `key=value` pairs; `key=@path` passes a file to a FILE input. */
  inputs: string[];
  timeoutMs?: number;
  registry: PluginRegistry;
  quiet: boolean;
  /** Where HTTP tasks may connect (CADENZA_HTTP_* settings); non-public addresses refused when absent. */
  httpPolicy?: HttpPolicy;
}

export type RunFlowResult = { code: 0 | 2 | 3; execution?: Execution };

export function parseInputs(
  pairs: string[],
): { values: Record<string, string>; files: Record<string, string> } | string {
  const values: Record<string, string> = {};
  const files: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) return `--input expects key=value, got '${pair}'`;
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (value.startsWith("@")) files[key] = value.slice(1);
    else values[key] = value;
  }
  return { values, files };
}

export function printLog(io: CliIo, entry: LogEntry): void {
  const where = entry.taskId ? ` ${entry.taskId}` : "";
  io.stderr(`${entry.timestamp} ${entry.level.padEnd(5)}${where}: ${entry.message}\n`);
}

/** Runs a flow to its end on the in-memory engine; prints only the execution JSON on stdout. */
export async function runFlowInMemory(options: RunFlowOptions, io: CliIo): Promise<RunFlowResult> {
  const parsed = parseInputs(options.inputs);
  if (typeof parsed === "string") {
    io.stderr(`cadenza flow run: ${parsed}\n`);
    return { code: 2 };
  }
  const engine = new MemoryEngine({
    registry: options.registry,
    flows: [options.flow, ...options.flows],
    secret: environmentSecrets(),
    ...(options.httpPolicy ? { httpPolicy: options.httpPolicy } : {}),
    onLog: options.quiet ? undefined : (entry) => printLog(io, entry),
  });
  const { flow } = options;
  const executionId = newId();
  const inputs = await resolveFileInputs(
    parsed.values,
    parsed.files,
    { flow, executionId, storage: engine.storage },
    io,
  );
  if (!inputs) return { code: 2 };

  let execution: Execution;
  try {
    execution = await engine.start(flow, { id: executionId, inputs });
  } catch (error) {
    if (error instanceof InputValidationError) {
      for (const e of error.errors) io.stderr(`input '${e.input}': ${e.message}\n`);
      return { code: 2 };
    }
    io.stderr(`cadenza flow run: ${(error as Error).message}\n`);
    return { code: 2 };
  }

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    if (options.timeoutMs !== undefined) timer = setTimeout(() => resolve("timeout"), options.timeoutMs);
  });
  const outcome = await Promise.race([engine.wait(execution.id), timedOut]);
  clearTimeout(timer);
  if (outcome === "timeout") {
    const current = engine.get(execution.id);
    io.stdout(`${JSON.stringify(toExecutionJson(current), null, 2)}\n`);
    io.stderr(
      `cadenza flow run: timed out after ${options.timeoutMs} ms; the execution is ${current.state.current} (killed)\n`,
    );
    await engine.kill(execution.id).catch(() => undefined);
    return { code: 3, execution: current };
  }
  const final = outcome;
  io.stdout(`${JSON.stringify(toExecutionJson(final), null, 2)}\n`);
  return { code: isTerminal(final.state.current) ? 0 : 3, execution: final };
}
