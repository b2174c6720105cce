// Starting a backfill of a Schedule trigger, as both engines do it: the request checked and turned into
// the record the triggers page reads, then claimed on the trigger's state unless one is running there.
// The embedded scheduler runs the record's ticks itself; Temporal mode hands them to the Schedule.
import type { Pool } from "pg";
import { ExecutionOperationError } from "@/engine/executor";
import type { Flow, Trigger } from "@/engine/flow";
import type { PluginRegistry } from "@/engine/plugin";
import { cronOf, ticksBetween } from "./schedule";
import type { Backfill } from "./scheduler";

const MAX_TIMES = 1_000_000;

export interface BackfillRef {
  namespace: string;
  flowId: string;
  triggerId: string;
}

export interface BackfillRequest {
  start: Date;
  end: Date;
  inputs?: Record<string, unknown>;
  labels?: { key: string; value: string }[];
}

/** The record of a new backfill over [start, end) of the flow's Schedule trigger, or why there is none. */
export function newBackfill(
  registry: PluginRegistry,
  flow: Flow | undefined,
  ref: BackfillRef,
  options: BackfillRequest,
): { trigger: Trigger; backfill: Backfill } {
  const trigger = flow?.triggers.find(
    (t) => t.id === ref.triggerId && registry.get(t.type)?.type === "core.trigger.Schedule",
  );
  if (!trigger)
    throw new ExecutionOperationError(
      `flow ${ref.namespace}.${ref.flowId} has no Schedule trigger '${ref.triggerId}'`,
      "NOT_FOUND",
    );
  if (!(options.start.getTime() < options.end.getTime()))
    throw new ExecutionOperationError("a backfill needs start before end", "INVALID_INPUT");
  const total = ticksBetween(cronOf(trigger), options.start, options.end, MAX_TIMES + 1).length;
  if (total > MAX_TIMES)
    throw new ExecutionOperationError(
      "a backfill may cover at most 1,000,000 schedule dates",
      "INVALID_INPUT",
    );
  return {
    trigger,
    backfill: {
      start: options.start.toISOString(),
      end: options.end.toISOString(),
      currentDate: options.start.toISOString(),
      paused: false,
      ...(options.inputs ? { inputs: options.inputs } : {}),
      ...(options.labels ? { labels: options.labels } : {}),
      total,
      done: 0,
    },
  };
}

/** Records the backfill on the trigger's state; refused while another backfill runs there. */
export async function claimBackfill(
  pool: Pool,
  tenantId: string,
  ref: BackfillRef,
  backfill: Backfill,
): Promise<void> {
  const result = await pool.query(
    `update trigger_states set backfill = $5, updated_at = now()
     where tenant_id = $1 and namespace = $2 and flow_id = $3 and trigger_id = $4
       and (backfill is null or backfill->>'finishedAt' is not null or backfill->>'cancelledAt' is not null)`,
    [tenantId, ref.namespace, ref.flowId, ref.triggerId, JSON.stringify(backfill)],
  );
  if ((result.rowCount ?? 0) === 0)
    throw new ExecutionOperationError(
      "a backfill is already running for this trigger: pause or cancel it first",
      "INVALID_STATE",
    );
}
