import type { Flow } from "../flow/model";
import { cloneData } from "../util/clone-data";
import { Engine } from "./engine";
import type { StepEnv } from "./env";
import type { ExecutionEvent, StepResult } from "./events";
import type { Execution } from "./model";
import { StepContext } from "./step-context";

/**
 * The executor: given a flow, an execution and one event, returns the next execution and the commands the
 * driver must carry out. Deterministic for a given `env` (clock, ids, lookups); the input is never mutated.
 * Throws ExecutionOperationError when the event cannot apply (e.g. resuming a running execution).
 */
export async function step(
  flow: Flow,
  execution: Execution,
  event: ExecutionEvent,
  env: StepEnv,
): Promise<StepResult> {
  const ctx = new StepContext(flow, cloneData(execution), env);
  const engine = new Engine(ctx);
  await engine.apply(event);
  await engine.advance();
  return { execution: ctx.execution, commands: ctx.commands, logs: ctx.logs };
}
