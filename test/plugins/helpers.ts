import { expect } from "vitest";
import type { Execution, TaskRun } from "@/engine/executor";
import { type Flow, loadFlow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import { MemoryEngine, type MemoryEngineOptions, VirtualClock } from "@/worker/memory";

/** Loads a flow, failing the test with the validation errors when it is invalid. */
export function flowOf(yaml: string): Flow {
  const result = loadFlow(yaml, { registry: builtInRegistry() });
  expect(result.errors).toEqual([]);
  return result.flow as Flow;
}

/** A memory engine on a virtual clock, with the built-in plugins (HTTP tasks: non-public addresses refused). */
export function newEngine(options: Partial<MemoryEngineOptions> = {}): {
  engine: MemoryEngine;
  clock: VirtualClock;
} {
  const clock = new VirtualClock();
  return { engine: new MemoryEngine({ registry: builtInRegistry(), clock, ...options }), clock };
}

/** Runs a flow to its end. */
export async function run(
  engine: MemoryEngine,
  yaml: string,
  inputs?: Record<string, unknown>,
): Promise<Execution> {
  const started = await engine.start(flowOf(yaml), inputs ? { inputs } : {});
  const ended = await engine.wait(started.id);
  expect(engine.takeFailures()).toEqual([]);
  return ended;
}

export function taskRun(execution: Execution, taskId: string): TaskRun {
  const found = execution.taskRunList.find((r) => r.taskId === taskId);
  if (!found) throw new Error(`no task run for ${taskId}`);
  return found;
}

export function outputsOf(execution: Execution, taskId: string): Record<string, unknown> {
  return taskRun(execution, taskId).outputs ?? {};
}

/** The error of the last attempt of a task run. */
export function errorOf(execution: Execution, taskId: string): string | undefined {
  const attempts = taskRun(execution, taskId).attempts;
  return attempts[attempts.length - 1]?.error?.message;
}

export async function text(engine: MemoryEngine, uri: unknown): Promise<string> {
  return new TextDecoder().decode(await engine.storage.get(String(uri)));
}
