// The dashboard's figures from the execution_stats and execution_duration_stats tables (prisma/schema.prisma:
// ExecutionStat, ExecutionDurationStat) rather than from a count of executions: whole UTC hours (days, for
// durations) of a range from the stats, the partial first hour (day) from executions, so every count equals
// a count of executions. The stats are kept by triggers on executions (migration ..._execution_stats).
import { type ExecutionFilter, readRows, type Sql, scopedExecutionWhere } from "./execution-query";
import type { ExecutionState } from "./executions";
import type { ServiceScope } from "./scope";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * Whether the stats can answer `filter`: a start and a namespace (and its children) for counts (kept per
 * namespace), a flow too for durations (kept per flow); nothing else.
 */
export function statsCanAnswer(filter: ExecutionFilter, of: "counts" | "durations"): boolean {
  return Object.entries(filter).every(
    ([key, value]) =>
      value === undefined ||
      (Array.isArray(value) && value.length === 0) ||
      key === "from" ||
      key === "namespace" ||
      (key === "flowId" && of === "durations"),
  );
}

/**
 * The WHERE clauses of the two halves of a stats query, sharing their parameters: `whole` on the stats
 * table (alias x, `column` its hour or day) from the first boundary at or after filter.from, `edge` on
 * executions (alias x) between filter.from and that boundary, null when from is on a boundary or unset.
 */
function halves(scope: ServiceScope, filter: ExecutionFilter, column: "hour" | "day", step: number) {
  const sql: Sql = scopedExecutionWhere(
    scope,
    {
      ...(filter.namespace ? { namespace: filter.namespace } : {}),
      // Counts are kept per namespace: statsCanAnswer() sends a flow's counts to executions.
      ...(filter.flowId && column === "day" ? { flowId: filter.flowId } : {}),
    },
    "x",
    false,
  );
  const common = sql.clause;
  if (!filter.from) return { sql, whole: common, edge: null };
  const boundary = new Date(Math.ceil(filter.from.getTime() / step) * step);
  const whole = `${common} and x.${column} >= ${sql.param(boundary)}`;
  if (boundary.getTime() === filter.from.getTime()) return { sql, whole, edge: null };
  // The stats count no LOOP execution (their triggers skip them): nor does the edge.
  const edge = `${common} and x.kind is distinct from 'LOOP' and x.start_date >= ${sql.param(filter.from)} and x.start_date < ${sql.param(boundary)}`;
  return { sql, whole, edge };
}

/**
 * Executions per state and bin: whole UTC hours from the stats, quarter hours from executions in the
 * partial first hour. Folding the bins into someone's hours or days is exact when the zone's offset is a
 * whole number of hours over the range (hourBinsAlign).
 */
export async function stateCountsFromStats(
  scope: ServiceScope,
  filter: ExecutionFilter,
): Promise<{ bin: Date; state: ExecutionState; n: number }[]> {
  const { sql, whole, edge } = halves(scope, filter, "hour", HOUR_MS);
  return readRows(
    scope,
    `select bin, state, sum(n)::int as n from (
       select x.hour as bin, x.state, x.executions::bigint as n from execution_stats x ${whole}
       ${
         edge
           ? `union all
       select date_bin('15 minutes', x.start_date, timestamptz '2000-01-01 00:00:00+00'), x.state, count(*)
         from executions x ${edge} group by 1, 2`
           : ""
       }
     ) u group by 1, 2`,
    sql.params,
  );
}

/**
 * Whether the UTC hours from `from` to `to` start on whole hours in `timeZone`: its offset, read once a day
 * and at `to` (an offset holds for months between two changes), is a whole number of hours.
 */
export function hourBinsAlign(timeZone: string, from: Date, to: Date): boolean {
  const format = new Intl.DateTimeFormat("en", { timeZone, minute: "numeric" });
  const start = Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS;
  for (let t = start; t <= to.getTime(); t += DAY_MS) if (Number(format.format(t)) !== 0) return false;
  return Number(format.format(Math.floor(to.getTime() / HOUR_MS) * HOUR_MS)) === 0;
}

export interface NamespaceCounts {
  namespace: string;
  total: number;
  failed: number;
}

/** Executions and failed executions per namespace, the 20 with most failures. */
export async function perNamespaceFromStats(
  scope: ServiceScope,
  filter: ExecutionFilter,
): Promise<NamespaceCounts[]> {
  const { sql, whole, edge } = halves(scope, filter, "hour", HOUR_MS);
  return readRows(
    scope,
    `select namespace, sum(total)::int as total, sum(failed)::int as failed from (
       select x.namespace, x.executions as total, case when x.state = 'FAILED' then x.executions else 0 end as failed
         from execution_stats x ${whole}
       ${
         edge
           ? `union all
       select x.namespace, 1, case when x.state = 'FAILED' then 1 else 0 end from executions x ${edge}`
           : ""
       }
     ) u group by 1 order by failed desc, total desc, 1 limit 20`,
    sql.params,
  );
}

export interface FlowDurations {
  namespace: string;
  flowId: string;
  count: number;
  p50Ms: number;
  p95Ms: number;
}

/**
 * The flows with the highest p95 duration, p50 and p95 estimated from the duration histograms: the rank
 * percentile_cont would read, p × (count − 1), is found in its bucket and placed within the bucket's bounds
 * by its position among the bucket's executions (a bucket is about 9% wide). `ended` is the number of
 * ended executions over all flows.
 */
export async function slowestFlowsFromStats(
  scope: ServiceScope,
  filter: ExecutionFilter,
  limit: number,
): Promise<{ flows: FlowDurations[]; ended: number }> {
  const { sql, whole, edge } = halves(scope, filter, "day", DAY_MS);
  const cap = sql.param(limit);
  const at = (p: number) => {
    const rank = `(${p} * (total - 1))`;
    return `max(case when ${rank} >= below and ${rank} < below + n
                then lo + (hi - lo) * least(1, (${rank} - below + 0.5) / n) end)`;
  };
  const rows = await readRows<{
    namespace: string;
    flowId: string;
    n: number;
    p50: number;
    p95: number;
    ended: string;
  }>(
    scope,
    `with h as (
       select namespace, flow_id, bucket, sum(n)::float8 as n from (
         select x.namespace, x.flow_id, x.bucket, x.executions as n from execution_duration_stats x ${whole}
         ${
           edge
             ? `union all
         select x.namespace, x.flow_id, execution_duration_bucket(x.start_date, x.end_date), 1
           from executions x ${edge} and x.end_date is not null`
             : ""
         }
       ) u group by 1, 2, 3
     ), c as (
       select namespace, flow_id, n,
              sum(n) over (partition by namespace, flow_id order by bucket) - n as below,
              sum(n) over (partition by namespace, flow_id) as total,
              case when bucket = 0 then 0 else power(2::float8, (bucket - 1) / 8::float8) end as lo,
              power(2::float8, bucket / 8::float8) as hi
         from h
     ), p as (
       select namespace, flow_id, total, ${at(0.5)} as p50, ${at(0.95)} as p95 from c group by 1, 2, 3
     )
     select namespace, flow_id as "flowId", total::int as n, p50, p95, sum(total) over () as ended
       from p order by p95 desc, 1, 2 limit ${cap}`,
    sql.params,
  );
  return {
    flows: rows.map((r) => ({
      namespace: r.namespace,
      flowId: r.flowId,
      count: r.n,
      p50Ms: Math.round(Number(r.p50)),
      p95Ms: Math.round(Number(r.p95)),
    })),
    ended: Number(rows[0]?.ended ?? 0),
  };
}
