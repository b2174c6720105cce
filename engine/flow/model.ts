import type { Label, PluginKind } from "../plugin/types";
import type { CommonTask } from "./common";
import type { PluginDefault, Sla } from "./flow-schema";
import type { FlowOutput, Input } from "./inputs-schema";
import type { Retry } from "./retry";

/**
 * A validated task. Common properties are typed; the plugin's own properties are read through the plugin's
 * schema type by whoever interprets them. Nested tasks (in `tasks`, `then`, `cases`...) are validated Tasks.
 */
export interface Task extends CommonTask {
  readonly [property: string]: unknown;
}

export interface Condition {
  type: string;
  readonly [property: string]: unknown;
}

export interface Trigger {
  id: string;
  type: string;
  description?: string;
  conditions?: Condition[];
  /** Kestra 2.0: an expression; when false the trigger starts nothing. */
  when?: string | boolean;
  disabled: boolean;
  labels?: Label[];
  stopAfter?: string[];
  readonly [property: string]: unknown;
}

/** A flow-level pre-execution check; `when` holds Kestra 1.x's `condition` too. */
export interface FlowCheck {
  when: string;
  message: string;
  style: "ERROR" | "SUCCESS" | "WARNING" | "INFO";
  behavior: "BLOCK_EXECUTION" | "FAIL_EXECUTION" | "CREATE_EXECUTION";
}

/** A validated flow: Kestra's model, with labels normalised to a list and absent lists made empty. */
export interface Flow {
  id: string;
  namespace: string;
  revision: number;
  description?: string;
  labels: Label[];
  inputs: Input[];
  outputs: FlowOutput[];
  variables: Record<string, unknown>;
  tasks: Task[];
  errors: Task[];
  finally: Task[];
  afterExecution: Task[];
  triggers: Trigger[];
  pluginDefaults: PluginDefault[];
  concurrency?: { limit: number; behavior: "QUEUE" | "CANCEL" | "FAIL" };
  retry?: Retry;
  sla: Sla[];
  checks: FlowCheck[];
  disabled: boolean;
  deleted: boolean;
  tenantId?: string;
  workerGroup?: { key: string; fallback?: string };
}

/** Where a task sits in its flow, for lookups by id. */
export interface TaskLocation {
  task: Task;
  /** The task that contains it (a flowable), or undefined at the top of the flow. */
  parent?: Task;
  /** Which list of the parent (or of the flow) holds it: `tasks`, `errors`, `finally`, `then`, `cases.A`... */
  slot: string;
  kind: PluginKind;
}

/** Turns `labels` as written (map or list) into a list. */
export function normaliseLabels(labels: unknown): Label[] {
  if (!labels) return [];
  if (Array.isArray(labels)) return labels as Label[];
  return Object.entries(labels as Record<string, string>).map(([key, value]) => ({
    key,
    value: String(value),
  }));
}
