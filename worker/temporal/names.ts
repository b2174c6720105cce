import type { ExecutionEvent, StateType } from "@/engine/executor";

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

/** What one run of the workflow is asked to do: start a created execution, or restart an ended one. */
export interface ExecutionWorkflowInput {
  tenantId: string;
  executionId: string;
  event: Extract<ExecutionEvent, { type: "start" } | { type: "restart" }>;
}

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
