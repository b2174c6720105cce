// Kestra 2.0's `subflow(namespace, id, inputs, revision, labels, timeout)` expression function
// (io.kestra.core.runners.pebble.functions.SubflowFunction): runs a flow to its end and answers
// `{ id, state, outputs, labels }`, so an input's `expression` (a SELECT's values) can come from a flow.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Execution } from "@/engine/executor";
import type { ExprFunction } from "@/engine/expr";
import { parseDuration } from "@/engine/util/duration";
import { checkReach, type NamespaceAccess } from "./namespace-access";

/** Kestra's SubflowFunctionConfiguration defaults (kestra.pebble.subflow-function.*). */
export const SUBFLOW_DEFAULT_TIMEOUT_MS = 60_000;
export const SUBFLOW_MAX_TIMEOUT_MS = 5 * 60_000;
export const SUBFLOW_MAX_DEPTH = 3;

export interface SubflowCall {
  namespace: string;
  id: string;
  /** Absent: the flow's current revision. */
  revision?: number;
  inputs: Record<string, unknown>;
  labels: { key: string; value: string }[];
  timeoutMs: number;
}

/**
 * Creates an execution of the flow (validating its inputs: throws when they do not hold, or when the flow
 * is unknown or disabled) and resolves with it once it has ended; rejects once `timeoutMs` has passed.
 */
export type RunSubflow = (call: SubflowCall) => Promise<Execution>;

/**
 * How deep subflow() calls nest: a flow's inputs calling subflow() on a flow whose inputs call it again.
 * Kestra counts per rendering thread; the async context is JavaScript's equivalent, and a child's inputs
 * are rendered inside its caller's call.
 */
const depth = new AsyncLocalStorage<number>();

const fail = (message: string): never => {
  throw new Error(`subflow(): ${message}`);
};

function labelsOf(raw: unknown): { key: string; value: string }[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== "object" || Array.isArray(raw)) fail("'labels' must be a map of string keys to values");
  const labels: { key: string; value: string }[] = [];
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (value === null || value === undefined) continue;
    // Kestra reserves system labels to itself, except the correlation id a caller may carry on.
    if (key.startsWith("system.") && key !== "system.correlationId")
      fail(
        `cannot set the system label '${key}'; system labels are reserved (except 'system.correlationId')`,
      );
    labels.push({ key, value: typeof value === "string" ? value : JSON.stringify(value) });
  }
  return labels;
}

function timeoutOf(raw: unknown): number {
  if (raw === undefined || raw === null) return SUBFLOW_DEFAULT_TIMEOUT_MS;
  if (typeof raw !== "string") fail("'timeout' must be an ISO-8601 duration string (e.g. 'PT30S')");
  const ms = parseDuration(raw as string);
  if (ms === undefined) fail(`'timeout' must be an ISO-8601 duration (e.g. 'PT30S'), got '${raw}'`);
  if ((ms as number) > SUBFLOW_MAX_TIMEOUT_MS)
    fail(`'timeout' (${raw}) exceeds the maximum allowed (PT${SUBFLOW_MAX_TIMEOUT_MS / 60_000}M)`);
  return ms as number;
}

function revisionOf(raw: unknown): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  const revision = typeof raw === "string" ? Number(raw) : raw;
  if (typeof revision !== "number" || !Number.isInteger(revision) || revision < 1)
    fail(`'revision' must be a positive integer, got '${String(raw)}'`);
  return revision as number;
}

export function subflowFunction(run: RunSubflow, access: NamespaceAccess): ExprFunction {
  return async (args, named, { context }) => {
    // The call waits for a whole execution: Kestra allows it only where inputs are rendered, never in a
    // task's or a trigger's properties, where waiting would hold a worker slot the child may need.
    if (context.taskrun !== undefined || context.trigger !== undefined)
      fail(
        "can only be used at flow-input render time (e.g. an input's 'expression'); it is not supported inside task or trigger properties",
      );
    const namespace = args[0] ?? named.namespace;
    const id = args[1] ?? named.id;
    if (typeof namespace !== "string" || typeof id !== "string")
      fail("expects the arguments 'namespace' and 'id'");
    const caller = (context.flow ?? undefined) as Record<string, unknown> | undefined;
    if (typeof caller?.namespace !== "string")
      fail(
        "can only be used in a flow context (e.g. an input's 'expression'); the caller flow could not be resolved",
      );
    const rawInputs = args[2] ?? named.inputs;
    if (
      rawInputs !== undefined &&
      rawInputs !== null &&
      (typeof rawInputs !== "object" || Array.isArray(rawInputs))
    )
      fail("'inputs' must be a map");
    const call: SubflowCall = {
      namespace: namespace as string,
      id: id as string,
      inputs: (rawInputs ?? {}) as Record<string, unknown>,
      labels: labelsOf(args[4] ?? named.labels),
      timeoutMs: timeoutOf(args[5] ?? named.timeout),
    };
    const revision = revisionOf(args[3] ?? named.revision);
    if (revision !== undefined) call.revision = revision;
    const current = depth.getStore() ?? 0;
    if (current >= SUBFLOW_MAX_DEPTH)
      fail(
        `exceeded the maximum nesting depth of ${SUBFLOW_MAX_DEPTH} (a subflow's inputs likely call subflow() recursively)`,
      );
    const name = `'${call.namespace}'.'${call.id}'`;
    // As the Subflow task: the caller's namespace must be allowed to reach the target's.
    if (call.namespace !== caller?.namespace)
      await checkReach(access, caller?.namespace as string, call.namespace);
    let ended: Execution;
    try {
      ended = await depth.run(current + 1, () => run(call));
    } catch (error) {
      return fail(`failed to run subflow ${name}: ${(error as Error).message}`);
    }
    const state = ended.state.current;
    if (state !== "SUCCESS" && state !== "WARNING")
      fail(`subflow ${name} ended in state ${state} (execution ${ended.id})`);
    return {
      id: ended.id,
      state,
      outputs: ended.outputs ?? {},
      labels: Object.fromEntries(ended.labels.map((l) => [l.key, l.value])),
    };
  };
}
