import { defineSearchAttributeKey, SearchAttributeType } from "@temporalio/common";
import type { ExecutionEvent, ExecutorCommand, StateType } from "@/engine/executor";

/**
 * What the workflow, its activities, the worker and the client agree on. Pure: the workflow bundle
 * imports it.
 */
export const WORKFLOW_TYPE = "cadenzaExecution";
/** Fire-and-forget operations (kill from a parent, from another workflow). */
export const EVENT_SIGNAL = "cadenzaEvent";
/** Operations whose refusal the caller must see (kill, pause, resume with inputs, restart from the API). */
export const OPERATE_UPDATE = "cadenzaOperate";

/** Workflow ids carry the tenant, so two tenants never share one and Temporal's UI finds them by tenant. */
export const workflowIdOf = (tenantId: string, executionId: string) => `cadenza/${tenantId}/${executionId}`;

/** One task queue per tenant: one tenant's load cannot starve another's. */
export const taskQueueOf = (tenantId: string) => `cadenza-${tenantId}`;

/**
 * What one run of the workflow is asked to do: start a created execution, or restart an ended one; or,
 * with `continued`, go on with an execution the previous run of the workflow handed over (continueAsNew;
 * `event` is then the first run's and is not applied again).
 */
export interface ExecutionWorkflowInput {
  tenantId: string;
  executionId: string;
  event: Extract<ExecutionEvent, { type: "start" } | { type: "restart" }>;
  continued?: ContinuedRun;
  /**
   * Apply `event` only at this instant (a Subflow's `scheduleDate`, ISO): until then the execution waits
   * CREATED on a durable timer, and a kill ends it.
   */
  startAt?: string;
}

/**
 * What a run hands to the next one when its history has grown long (continueAsNew). The execution itself
 * is not carried: the new run reads it from PostgreSQL, where every step was written before its commands
 * ran. Nothing was in flight when the run ended (it drained), so only what it held back and its timers go.
 */
export interface ContinuedRun {
  /** Commands that start work (task attempts, subflows, splits, new executions), held back while draining. */
  commands: ExecutorCommand[];
  /** Durable timers armed and not fired: the new run arms them again for the same instants. */
  timers: { timerId: string; at: string }[];
  /** Which run of the workflow this is (2 for the first continued one): for logs and tests. */
  run: number;
}

/** History events after which a run hands over to a new one, unless Temporal suggests it earlier. */
export const DEFAULT_HISTORY_LIMIT = 10_000;

/**
 * Custom search attributes, so executions are findable in Temporal's own UI and `temporal workflow list`
 * (`CadenzaTenant = "main" AND CadenzaState = "FAILED"`). They must be registered on the namespace
 * (deploy/temporal-search-attributes.sh on a cluster; the dev server gets them at start); a worker that finds them
 * missing says so and runs without them.
 */
export const SEARCH_ATTRIBUTES = {
  tenant: defineSearchAttributeKey("CadenzaTenant", SearchAttributeType.KEYWORD),
  namespace: defineSearchAttributeKey("CadenzaNamespace", SearchAttributeType.KEYWORD),
  flowId: defineSearchAttributeKey("CadenzaFlowId", SearchAttributeType.KEYWORD),
  state: defineSearchAttributeKey("CadenzaState", SearchAttributeType.KEYWORD),
  labels: defineSearchAttributeKey("CadenzaLabels", SearchAttributeType.KEYWORD_LIST),
} as const;

/** What a finished run returns: what a parent's Subflow task needs. */
export interface ExecutionWorkflowResult {
  state: StateType;
  outputs?: Record<string, unknown>;
  taskOutputs?: Record<string, unknown>;
}

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A 128-bit hex value (a uuid) as Cadenza's 22-character base-62 id (worker/ids.ts's shape). */
export function base62Id(hex: string): string {
  let value = BigInt(`0x${hex.replace(/-/g, "")}`);
  let out = "";
  while (value > 0n) {
    out = ALPHABET[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out.padStart(22, "0");
}

/** The failure type of a task attempt cut short by its worker's shutdown: the attempt is lost, not KILLED. */
export const WORKER_SHUTDOWN = "CadenzaWorkerShutdown";
