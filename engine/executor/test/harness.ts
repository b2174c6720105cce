import { expect } from "vitest";
import { z } from "zod";
import { type Flow, loadFlow } from "@/engine/flow";
import { definePlugin, type Plugin, PluginRegistry } from "@/engine/plugin";
import { builtInPlugins } from "@/plugins";
import { MemoryEngine, VirtualClock } from "@/worker/memory";
import { openNamespaceAccess } from "@/worker/namespace-access";
import type { Execution, TaskRun } from "../model";

/** Test-only tasks: one that runs until it is stopped, one that fails until a given attempt. */
export const hangPlugin = definePlugin({
  type: "test.Hang",
  kind: "runnable",
  title: "Runs until stopped.",
  schema: z.object({}),
  run: ({ signal }) =>
    new Promise((_, reject) => {
      signal.addEventListener("abort", () => reject(new Error("stopped")));
    }),
});

export const flakyPlugin = definePlugin({
  type: "test.Flaky",
  kind: "runnable",
  title: "Fails until the given attempt.",
  schema: z.object({ succeedOnAttempt: z.number().int().default(1000) }),
  run: ({ properties, taskRun }) => {
    if (taskRun.attempt < properties.succeedOnAttempt) throw new Error(`attempt ${taskRun.attempt} failed`);
    return { outputs: { attempt: taskRun.attempt } };
  },
});

export const START = Date.UTC(2024, 0, 1, 0, 0, 0);

export function harness(
  options: {
    plugins?: Plugin[];
    flows?: string[];
    /** Loop iterations as LOOP executions (default). */
    loopExecutions?: boolean;
    /** Kestra 2.0's iteration rules (default), or the earlier ones (a loop started before them). */
    loopIterationRules?: boolean;
    /** LoopUntil's iterationCount is the running iteration (default), or the ended ones (a loop started before). */
    loopUntilCountsCurrent?: boolean;
    /** ForEachItem's iterations counted as Kestra's (default), or as before (a ForEachItem started before). */
    forEachItemKestraCounts?: boolean;
    /** ForEachItem runs its split/items/merge task runs (default), or one task run (started before that rule). */
    forEachItemTasks?: boolean;
    /** A Pause ends as Kestra 2.0's (default), or as before (a Pause started before that rule). */
    pauseKestraOutcomes?: boolean;
    /** parentOutput(), iterationOutput(s)(), outputFromIteration() in flowables (default), or not (before them). */
    iterationOutputFunctions?: boolean;
    /** A Subflow keeps attempts and retries (default), or not (a Subflow started before that rule). */
    subflowAttempts?: boolean;
    /** The kill operation kills subflows started without waiting (default), or not (a kill before that rule). */
    killUnwaitedSubflows?: boolean;
  } = {},
) {
  const clock = new VirtualClock(START);
  const registry = new PluginRegistry([
    ...builtInPlugins,
    hangPlugin,
    flakyPlugin,
    ...(options.plugins ?? []),
  ]);
  let counter = 0;
  const engine = new MemoryEngine({
    registry,
    clock,
    // These tests are about the executor's mechanics (a flow of `t` calling `t.sub`...); namespace
    // boundaries have their own tests (test/security/namespace-boundaries.test.ts).
    namespaceAccess: openNamespaceAccess,
    newId: () => `id${String(++counter).padStart(4, "0")}`,
    ...(options.loopExecutions !== undefined ? { loopExecutions: options.loopExecutions } : {}),
    ...(options.loopIterationRules !== undefined ? { loopIterationRules: options.loopIterationRules } : {}),
    ...(options.loopUntilCountsCurrent !== undefined
      ? { loopUntilCountsCurrent: options.loopUntilCountsCurrent }
      : {}),
    ...(options.forEachItemKestraCounts !== undefined
      ? { forEachItemKestraCounts: options.forEachItemKestraCounts }
      : {}),
    ...(options.forEachItemTasks !== undefined ? { forEachItemTasks: options.forEachItemTasks } : {}),
    ...(options.pauseKestraOutcomes !== undefined
      ? { pauseKestraOutcomes: options.pauseKestraOutcomes }
      : {}),
    ...(options.iterationOutputFunctions !== undefined
      ? { iterationOutputFunctions: options.iterationOutputFunctions }
      : {}),
    ...(options.subflowAttempts !== undefined ? { subflowAttempts: options.subflowAttempts } : {}),
    ...(options.killUnwaitedSubflows !== undefined
      ? { killUnwaitedSubflows: options.killUnwaitedSubflows }
      : {}),
  });
  const load = (yaml: string): Flow => {
    const { flow, errors } = loadFlow(yaml, { registry });
    if (!flow) throw new Error(errors.map((e) => `${e.line}:${e.column} ${e.message}`).join("\n"));
    engine.addFlow(flow);
    return flow;
  };
  for (const yaml of options.flows ?? []) load(yaml);
  return {
    engine,
    clock,
    registry,
    load,
    /** Starts a flow and drives it (virtual time) until it ends. */
    async run(yaml: string | Flow, inputs?: Record<string, unknown>): Promise<Execution> {
      const flow = typeof yaml === "string" ? load(yaml) : yaml;
      const started = await engine.start(flow, { inputs });
      const done = await engine.wait(started.id);
      expect(engine.takeFailures()).toEqual([]);
      return done;
    },
    /** Starts a flow and settles: for flows that pause or hang. */
    async startAndSettle(yaml: string | Flow, inputs?: Record<string, unknown>): Promise<Execution> {
      const flow = typeof yaml === "string" ? load(yaml) : yaml;
      const started = await engine.start(flow, { inputs });
      await settle(engine);
      return engine.get(started.id);
    },
    logsOf(execution: Execution) {
      return engine.logs.filter((l) => l.executionId === execution.id);
    },
    now: () => clock.now().getTime(),
  };
}

/** Lets every pending promise run without advancing the virtual clock. */
export async function settle(engine: MemoryEngine): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  void engine;
}

export const runsOf = (execution: Execution, taskId: string): TaskRun[] =>
  execution.taskRunList.filter((r) => r.taskId === taskId);
export const runOf = (execution: Execution, taskId: string): TaskRun => {
  const run = runsOf(execution, taskId)[0];
  if (!run)
    throw new Error(
      `no task run for ${taskId}; have ${execution.taskRunList.map((r) => r.taskId).join(", ")}`,
    );
  return run;
};
export const stateOf = (execution: Execution, taskId: string) => runOf(execution, taskId).state.current;
export const ms = (date: string) => Date.parse(date) - START;
export const histories = (state: { histories: { state: string }[] }) => state.histories.map((h) => h.state);

/** Every invariant a finished execution must hold, whatever the flow. */
export function checkInvariants(execution: Execution): void {
  const byId = new Map(execution.taskRunList.map((r) => [r.id, r]));
  for (const run of execution.taskRunList) {
    expect(
      ["RUNNING", "CREATED", "RESTARTED", "RETRYING", "KILLING", "PAUSED"],
      `${run.taskId} left ${run.state.current}`,
    ).not.toContain(run.state.current);
    for (const attempt of run.attempts)
      expect(attempt.state.current, `attempt of ${run.taskId}`).not.toBe("RUNNING");
    if (run.parentTaskRunId) {
      const parent = byId.get(run.parentTaskRunId);
      expect(parent, `parent of ${run.taskId}`).toBeDefined();
      expect(
        Date.parse(parent?.state.endDate ?? ""),
        `${parent?.taskId} ends after its child ${run.taskId}`,
      ).toBeGreaterThanOrEqual(Date.parse(run.state.endDate ?? ""));
    }
  }
}
