import type { Flow, Task } from "../flow/model";
import type { StepEnv } from "./env";
import { iterationsOf, iterationVariables, loopRunItem } from "./loop-scope";
import type { Execution, TaskRun } from "./model";
import { ancestorsOf, outputsOf, taskStatesOf } from "./outputs";
import { openInputs } from "./secret-inputs";

/**
 * Execution labels as the map expressions read, nested at dots as Kestra's Label.toNestedMap
 * (`labels.team`, `labels.system.correlationId`). A key that conflicts with an earlier one
 * (`a` then `a.b`) is skipped, as Kestra ignores conflicts.
 */
export function labelsMap(execution: Pick<Execution, "labels">): Record<string, unknown> {
  const nested: Record<string, unknown> = {};
  for (const { key, value } of execution.labels) {
    const path = key.split(".");
    let node: Record<string, unknown> | undefined = nested;
    for (const segment of path.slice(0, -1)) {
      const next: unknown = (node[segment] ??= {});
      node = typeof next === "object" && next !== null ? (next as Record<string, unknown>) : undefined;
      if (!node) break;
    }
    const last = path[path.length - 1] as string;
    if (node && !(last in node)) node[last] = value;
  }
  return nested;
}

/** Variables every expression of an execution sees, whatever the task (Kestra's RunVariables). */
export function executionVariables(
  flow: Flow,
  execution: Execution,
  env: Pick<StepEnv, "envs" | "globals" | "inputCipher">,
  byId?: ReadonlyMap<string, TaskRun>,
): Record<string, unknown> {
  const vars: Record<string, unknown> = { ...flow.variables, ...execution.variables };
  const executionVars: Record<string, unknown> = {
    id: execution.id,
    startDate: execution.state.startDate,
    originalId: execution.originalId,
    state: execution.internal?.finalState ?? execution.state.current,
  };
  if (execution.outputs) executionVars.outputs = execution.outputs;
  const variables: Record<string, unknown> = {
    flow: {
      id: flow.id,
      namespace: flow.namespace,
      revision: execution.flowRevision,
      tenantId: execution.tenantId ?? null,
    },
    execution: executionVars,
    inputs: openInputs(execution.inputs, env.inputCipher),
    outputs: outputsOf(execution, byId),
    tasks: taskStatesOf(execution),
    vars,
    labels: labelsMap(execution),
    envs: env.envs ?? {},
    globals: env.globals ?? {},
  };
  if (execution.trigger) variables.trigger = execution.trigger.variables ?? {};
  if (execution.loopRun) {
    // A Loop iteration run as an execution of its own: its `item`, and the outputs from outside the loop
    // under its own tasks' (Kestra 2.0 runs each iteration in its own context).
    variables.item = loopRunItem(execution.loopRun);
    variables.outputs = { ...execution.internal?.loopOutputs, ...(variables.outputs as object) };
  }
  return variables;
}

/** Variables of one task run: the execution's plus `task`, `taskrun`, `parent`, `parents`. */
export function taskRunVariables(
  flow: Flow,
  execution: Execution,
  task: Task,
  run: TaskRun,
  env: Pick<StepEnv, "envs" | "globals" | "inputCipher">,
  byId?: ReadonlyMap<string, TaskRun>,
): Record<string, unknown> {
  const index = byId ?? new Map(execution.taskRunList.map((r) => [r.id, r]));
  const variables = executionVariables(flow, execution, env, index);
  variables.task = { id: task.id, type: task.type };
  variables.taskrun = {
    id: run.id,
    startDate: run.state.startDate,
    attemptsCount: Math.max(0, run.attempts.length - 1),
    parentId: run.parentTaskRunId ?? null,
    value: run.value ?? null,
    iteration: run.iteration ?? null,
  };
  if (typeof run.internal?.items === "string")
    (variables.taskrun as Record<string, unknown>).items = run.internal.items;
  const parents = ancestorsOf(run, index)
    .reverse()
    .map((parent) => {
      const entry: Record<string, unknown> = {};
      if (parent.value !== null && parent.value !== undefined) entry.taskrun = { value: parent.value };
      if (parent.outputs && Object.keys(parent.outputs).length > 0) entry.outputs = parent.outputs;
      return entry;
    })
    .filter((entry) => Object.keys(entry).length > 0);
  if (run.parentTaskRunId) {
    variables.parents = parents;
    if (parents[0]) variables.parent = parents[0];
    const iterations = iterationsOf(run, index);
    if (iterations.length > 0) {
      const scope = iterationVariables(
        execution,
        index,
        iterations,
        variables.outputs as Record<string, unknown>,
      );
      variables.item = scope.item;
      variables.outputs = scope.outputs;
    }
  }
  return variables;
}
