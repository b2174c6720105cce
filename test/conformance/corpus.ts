import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

/**
 * Kestra's conformance corpus, vendored byte for byte in test/conformance/corpus (Apache-2.0 flows from
 * Kestra's own test fixtures; see its README). CADENZA_CONFORMANCE_DIR points at another copy.
 */
export const conformanceDir =
  process.env.CADENZA_CONFORMANCE_DIR ?? fileURLToPath(new URL("./corpus/", import.meta.url));

export interface ConformanceCase {
  flow: string;
  flows?: string[];
  inputs?: Record<string, string>;
  expect: {
    /** Absent when Kestra's test asserts only counts (DisabledTest). */
    state?: string;
    taskRunCount?: number;
    taskStates?: Record<string, string>;
    attempts?: Record<string, number>;
    outputs?: Record<string, unknown>;
    /**
     * `taskId -> output key -> regular expression` its (string) value matches (a date, for instance); a
     * dotted key reaches into a map output (`outputs.extracted`, a Subflow's own outputs), a key holding dots
     * itself taken whole (`outputFiles.output.txt`).
     */
    outputPatterns?: Record<string, Record<string, string>>;
    executionOutputs?: Record<string, unknown>;
    /** `output id -> regular expression` the execution's (string) flow output matches (a `kestra://` URI). */
    executionOutputPatterns?: Record<string, string>;
    /**
     * Kestra's `execution.outputs()`: `taskId -> outputs`, nested under the values of the run and of its
     * parents' runs, outermost first (`{"ret": {"a": {"x": {"value": …}}}}`); the last run wins, as there.
     */
    taskOutputs?: Record<string, unknown>;
    /**
     * `dotted path in taskOutputs -> regular expression` its (string) value matches: Kestra's tests that
     * compare an output once trimmed (`inner_sum.100.14.value` matching `^\\s*318\\s*$`).
     */
    taskOutputPatterns?: Record<string, string>;
    /** `key -> value` that the execution's labels include. */
    labels?: Record<string, string>;
    minDurationMs?: number;
  };
}

export function loadCases(): ConformanceCase[] {
  const expected = JSON.parse(readFileSync(`${conformanceDir}/expected.json`, "utf8")) as {
    cases: ConformanceCase[];
  };
  return expected.cases;
}

export const flowPath = (name: string) => `${conformanceDir}/flows/${name}`;

/** The `cadenza flow run` arguments of a case; `@file` inputs are relative to the corpus folder. */
export function caseArgs(c: ConformanceCase): string[] {
  const args = [flowPath(c.flow)];
  for (const [key, value] of Object.entries(c.inputs ?? {})) {
    args.push(
      "--input",
      value.startsWith("@") ? `${key}=@${conformanceDir}/${value.slice(1)}` : `${key}=${value}`,
    );
  }
  for (const other of c.flows ?? []) args.push("--flows", flowPath(other));
  return args;
}

export function caseName(c: ConformanceCase): string {
  const inputs = Object.entries(c.inputs ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  return inputs ? `${c.flow} (${inputs})` : c.flow;
}

interface ExecutionJson {
  id: string;
  labels?: { key: string; value: string }[];
  state: { current: string; startDate: string; endDate?: string };
  outputs?: Record<string, unknown>;
  taskRunList: {
    id: string;
    taskId: string;
    parentTaskRunId?: string | null;
    value?: string | null;
    state: { current: string };
    attempts: unknown[];
    outputs?: Record<string, unknown> | null;
  }[];
}

/**
 * `$id` in an expected value stands for the execution's own id and `$taskRun:<taskId>` for the id of that
 * task's first run (both unknown before it runs; RuntimeLabelsTest expects a label holding a task run's id).
 */
function withExecutionIds<T>(value: T, execution: ExecutionJson): T {
  const text = JSON.stringify(value ?? null)
    .replaceAll('"$id"', JSON.stringify(execution.id))
    .replace(/"\$taskRun:([^"]+)"/g, (_, taskId: string) =>
      JSON.stringify(execution.taskRunList.find((r) => r.taskId === taskId)?.id ?? `no run of ${taskId}`),
    );
  return JSON.parse(text) as T;
}

/** Asserts an execution against a case's expectations, as Kestra's own tests do. */
export function checkExpectations(execution: ExecutionJson, given: ConformanceCase["expect"]): void {
  const expected = withExecutionIds(given, execution);
  const first = (taskId: string) => execution.taskRunList.find((r) => r.taskId === taskId);
  if (expected.state !== undefined) expect(execution.state.current, "final state").toBe(expected.state);
  if (expected.taskRunCount !== undefined) {
    expect(
      execution.taskRunList.map((r) => r.taskId),
      "task runs",
    ).toHaveLength(expected.taskRunCount);
  }
  for (const [taskId, state] of Object.entries(expected.taskStates ?? {})) {
    expect(first(taskId)?.state.current, `state of ${taskId}`).toBe(state);
  }
  for (const [taskId, count] of Object.entries(expected.attempts ?? {})) {
    expect(first(taskId)?.attempts, `attempts of ${taskId}`).toHaveLength(count);
  }
  for (const [taskId, outputs] of Object.entries(expected.outputs ?? {})) {
    expect(first(taskId)?.outputs, `outputs of ${taskId}`).toMatchObject(outputs as object);
  }
  for (const [taskId, patterns] of Object.entries(expected.outputPatterns ?? {})) {
    for (const [key, pattern] of Object.entries(patterns))
      expect(String(valueAt(first(taskId)?.outputs, key)), `output ${key} of ${taskId}`).toMatch(
        new RegExp(pattern),
      );
  }
  if (expected.taskOutputs)
    expect(taskOutputTree(execution), "task outputs").toMatchObject(expected.taskOutputs);
  for (const [path, pattern] of Object.entries(expected.taskOutputPatterns ?? {}))
    expect(String(valueAt(taskOutputTree(execution), path)), `task output ${path}`).toMatch(
      new RegExp(pattern),
    );
  for (const [key, pattern] of Object.entries(expected.executionOutputPatterns ?? {}))
    expect(String(valueAt(execution.outputs, key)), `execution output ${key}`).toMatch(new RegExp(pattern));
  if (expected.executionOutputs)
    expect(execution.outputs, "execution outputs").toMatchObject(expected.executionOutputs);
  if (expected.labels) {
    const labels = Object.fromEntries((execution.labels ?? []).map((l) => [l.key, l.value]));
    expect(labels, "labels").toMatchObject(expected.labels);
  }
  if (expected.minDurationMs !== undefined) {
    const duration = Date.parse(execution.state.endDate ?? "") - Date.parse(execution.state.startDate);
    expect(duration, "duration (ms)").toBeGreaterThanOrEqual(expected.minDurationMs);
  }
}

/** Kestra's `Execution.outputs()`: each run's outputs under its task id, then its and its parents' values. */
function taskOutputTree(execution: ExecutionJson): Record<string, unknown> {
  const byId = new Map(execution.taskRunList.map((r) => [r.id, r]));
  const tree: Record<string, unknown> = {};
  for (const run of execution.taskRunList) {
    if (!run.outputs) continue;
    const values: string[] = [];
    for (
      let r: typeof run | undefined = run;
      r;
      r = r.parentTaskRunId ? byId.get(r.parentTaskRunId) : undefined
    )
      if (r.value !== undefined && r.value !== null) values.unshift(r.value);
    let node = tree;
    const path = [run.taskId, ...values];
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1] as string] = run.outputs;
  }
  return tree;
}

/**
 * The value at a dotted path of an output (`outputs.extracted`). A key that holds dots itself (a file name:
 * `outputFiles.output.txt`) is taken whole where the rest of the path is one.
 */
function valueAt(outputs: Record<string, unknown> | null | undefined, path: string): unknown {
  let value: unknown = outputs;
  let rest = path;
  while (rest !== "") {
    const object = value as Record<string, unknown> | null | undefined;
    if (object && typeof object === "object" && Object.hasOwn(object, rest)) return object[rest];
    const dot = rest.indexOf(".");
    value = object?.[dot < 0 ? rest : rest.slice(0, dot)];
    rest = dot < 0 ? "" : rest.slice(dot + 1);
  }
  return value;
}
