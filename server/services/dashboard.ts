// The dashboard's figures, for a time range and optionally one namespace (and its children) or one flow:
// executions over time by state, success ratio, what runs and waits now, recent failures, the slowest flows
// (p50 and p95 of durations), executions and failures per namespace, recent error logs. Every figure is
// limited to what the principal may read. Counts and durations come from the execution stats
// (execution-stats.ts), exact, rather than from a count of a busy month's executions.
import { isTerminal } from "@/engine/executor";
import { type ExecutionFilter, readRows, Sql, scopedExecutionWhere } from "./execution-query";
import {
  type FlowDurations,
  hourBinsAlign,
  type NamespaceCounts,
  perNamespaceFromStats,
  slowestFlowsFromStats,
  stateCountsFromStats,
  statsCanAnswer,
} from "./execution-stats";
import type { ExecutionState } from "./executions";
import {
  type Bucket,
  type ExecutionRow,
  listExecutionPage,
  type StateCounts,
  validTimeZone,
} from "./executions-list";
import { listFilter, type ServiceScope } from "./scope";

export type { FlowDurations, NamespaceCounts } from "./execution-stats";

export const RANGES = { "24h": 24 * 3_600_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
export type Range = keyof typeof RANGES;

export interface DashboardQuery {
  range: Range;
  timeZone: string;
  namespace?: string;
  flowId?: string;
}

/** Executions that have not started running yet, or are running or waiting. */
export const ACTIVE_STATES: ExecutionState[] = [
  "CREATED",
  "QUEUED",
  "RUNNING",
  "PAUSED",
  "RESTARTED",
  "KILLING",
  "RETRYING",
];

export interface ErrorLog {
  id: string;
  namespace: string;
  flowId: string;
  executionId: string | null;
  taskId: string | null;
  message: string;
  timestamp: Date;
}

export interface Dashboard {
  from: Date;
  to: Date;
  bucket: Bucket;
  overTime: StateCounts[];
  totals: Partial<Record<ExecutionState, number>>;
  /** SUCCESS / ended executions in the range; null when none ended. */
  successRatio: number | null;
  active: Partial<Record<ExecutionState, number>>;
  recentFailures: ExecutionRow[];
  slowestFlows: FlowDurations[];
  perNamespace: NamespaceCounts[];
  errorLogs: ErrorLog[];
  /** Whether the tenant has any flow (the empty state then says "create a flow"). */
  hasFlows: boolean;
  /** Whether p50 and p95 are estimated from duration histograms (more than EXACT_DURATIONS ended). */
  durationsEstimated: boolean;
}

function rangeOf(query: DashboardQuery, now: Date): { from: Date; to: Date; bucket: Bucket } {
  return {
    from: new Date(now.getTime() - RANGES[query.range]),
    to: now,
    bucket: query.range === "24h" ? "hour" : "day",
  };
}

function filterOf(query: DashboardQuery, from: Date, to?: Date): ExecutionFilter {
  return {
    from,
    ...(to ? { to } : {}),
    ...(query.namespace ? { namespace: query.namespace } : {}),
    ...(query.flowId ? { flowId: query.flowId } : {}),
  };
}

/**
 * Up to this many ended executions in the range, p50 and p95 are exact (percentile_cont over their
 * durations); beyond, they are estimated from the duration histograms (each bucket about 9% wide), whose
 * cost does not grow with the number of executions.
 */
export const EXACT_DURATIONS = 20_000;

/** The flows with the highest p95 duration over ended executions, and whether p50/p95 are estimates. */
export async function slowestFlows(
  scope: ServiceScope,
  filter: ExecutionFilter,
  limit = 10,
): Promise<{ flows: FlowDurations[]; estimated: boolean }> {
  if (!statsCanAnswer(filter, "durations"))
    return { flows: (await exactSlowestFlows(scope, filter, limit)).flows, estimated: false };
  // Exact when the range holds few ended executions (the query reads one more than that at most), else
  // from the histograms.
  const exact = await exactSlowestFlows(scope, filter, limit, EXACT_DURATIONS + 1);
  if (exact.ended <= EXACT_DURATIONS) return { flows: exact.flows, estimated: false };
  return { flows: (await slowestFlowsFromStats(scope, filter, limit)).flows, estimated: true };
}

/** p50 and p95 by percentile_cont, over the latest `upTo` ended executions when given; `ended` counted. */
async function exactSlowestFlows(
  scope: ServiceScope,
  filter: ExecutionFilter,
  limit: number,
  upTo?: number,
): Promise<{ flows: FlowDurations[]; ended: number }> {
  const sql = scopedExecutionWhere(scope, filter);
  sql.where("e.end_date is not null");
  const latest = upTo ? `order by e.start_date desc, e.id desc limit ${sql.param(upTo)}` : "";
  const cap = sql.param(limit);
  const rows = await readRows<{
    namespace: string;
    flowId: string;
    n: number;
    p50: number;
    p95: number;
    ended: string;
  }>(
    scope,
    `select namespace, flow_id as "flowId", count(*)::int as n,
       percentile_cont(0.5) within group (order by seconds) * 1000 as p50,
       percentile_cont(0.95) within group (order by seconds) * 1000 as p95,
       sum(count(*)) over () as ended
     from (select e.namespace, e.flow_id, extract(epoch from e.end_date - e.start_date) as seconds
           from executions e ${sql.clause} ${latest}) ended
     group by 1, 2 order by p95 desc, 1, 2 limit ${cap}`,
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

export async function perNamespace(scope: ServiceScope, filter: ExecutionFilter): Promise<NamespaceCounts[]> {
  if (statsCanAnswer(filter, "counts")) return perNamespaceFromStats(scope, filter);
  const sql = scopedExecutionWhere(scope, filter);
  return readRows<NamespaceCounts>(
    scope,
    `select e.namespace, count(*)::int as total, (count(*) filter (where e.state = 'FAILED'))::int as failed
       from executions e ${sql.clause} group by 1 order by failed desc, total desc, 1 limit 20`,
    sql.params,
  );
}

/** "2026-12-06" (day) or "2026-12-06 14" (hour) of `date` in `timeZone`. */
function bucketKey(format: Intl.DateTimeFormat, date: Date, bucket: Bucket): string {
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  return bucket === "day" ? day : `${day} ${parts.hour}`;
}

/**
 * Executions per bucket and state for the dashboard's chart, counted per UTC hour by the execution stats
 * (per quarter hour in the range's partial first hour) or, when the stats cannot answer (a zone whose
 * offset is not a whole number of hours, one flow, a filter they do not cover), per quarter hour of executions
 * (date_bin: no time-zone lookup per row). The bins are then folded into the person's days or hours here
 * (every zone's offset is a whole number of quarter hours). A point's date is its bucket's first bin with
 * executions.
 */
export async function stateCountsByBucket(
  scope: ServiceScope,
  filter: ExecutionFilter,
  options: { bucket: Bucket; timeZone: string },
): Promise<StateCounts[]> {
  const timeZone = validTimeZone(options.timeZone);
  const rows =
    filter.from && statsCanAnswer(filter, "counts") && hourBinsAlign(timeZone, filter.from, scope.now())
      ? await stateCountsFromStats(scope, filter)
      : await quarterHourCounts(scope, filter);
  const format = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    hourCycle: "h23",
  });
  const byKey = new Map<string, StateCounts>();
  // Each bin comes once per state: its bucket is looked up once (Intl is the slow part of this function).
  const keys = new Map<number, string>();
  for (const row of rows) {
    let key = keys.get(row.bin.getTime());
    if (key === undefined) {
      key = bucketKey(format, row.bin, options.bucket);
      keys.set(row.bin.getTime(), key);
    }
    const point = byKey.get(key) ?? { date: row.bin, counts: {} };
    if (row.bin < point.date) point.date = row.bin;
    point.counts[row.state] = (point.counts[row.state] ?? 0) + row.n;
    byKey.set(key, point);
  }
  return [...byKey.values()].sort((a, b) => a.date.getTime() - b.date.getTime());
}

async function quarterHourCounts(scope: ServiceScope, filter: ExecutionFilter) {
  const sql = scopedExecutionWhere(scope, filter);
  return readRows<{ bin: Date; state: ExecutionState; n: number }>(
    scope,
    `select date_bin('15 minutes', e.start_date, timestamptz '2000-01-01') as bin, e.state, count(*)::int as n
       from executions e ${sql.clause} group by 1, 2`,
    sql.params,
  );
}

export async function activeCounts(
  scope: ServiceScope,
  filter: ExecutionFilter,
): Promise<Partial<Record<ExecutionState, number>>> {
  const sql = scopedExecutionWhere(scope, { ...filter, states: ACTIVE_STATES });
  const rows = await readRows<{ state: ExecutionState; n: number }>(
    scope,
    `select e.state, count(*)::int as n from executions e ${sql.clause} group by 1`,
    sql.params,
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

export async function recentErrorLogs(
  scope: ServiceScope,
  query: { from: Date; namespace?: string; flowId?: string },
  limit = 10,
): Promise<ErrorLog[]> {
  const access = listFilter(scope, "EXECUTION", "READ");
  const sql = new Sql();
  const ns = (prefix: string) =>
    `(l.namespace = ${sql.param(prefix)} or l.namespace like ${sql.param(`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`)})`;
  sql.where(`l.tenant_id = ${sql.param(scope.tenant.id)}`);
  sql.where(`l.level = 'ERROR'`);
  if (!access.all) sql.where(`(${access.prefixes.map(ns).join(" or ")})`);
  if (query.namespace) sql.where(ns(query.namespace));
  if (query.flowId) sql.where(`l.flow_id = ${sql.param(query.flowId)}`);
  sql.where(`l.timestamp >= ${sql.param(query.from)}`);
  const cap = sql.param(limit);
  const rows = await readRows<ErrorLog & { id: bigint | string }>(
    scope,
    `select l.id::text as id, l.namespace, l.flow_id as "flowId", l.execution_id as "executionId",
       l.task_id as "taskId", left(l.message, 500) as message, l.timestamp
     from log_entries l ${sql.clause} order by l.timestamp desc limit ${cap}`,
    sql.params,
  );
  return rows.map((r) => ({ ...r, id: String(r.id) }));
}

export async function dashboard(scope: ServiceScope, query: DashboardQuery): Promise<Dashboard> {
  const { from, to, bucket } = rangeOf(query, scope.now());
  const filter = filterOf(query, from);
  const [overTime, namespaces, active, failures, slowest, errorLogs, flow] = await Promise.all([
    stateCountsByBucket(scope, filter, { bucket, timeZone: query.timeZone }),
    perNamespace(scope, filter),
    activeCounts(scope, filterOf(query, new Date(0))),
    listExecutionPage(scope, { ...filter, states: ["FAILED"] }, { size: 10 }),
    slowestFlows(scope, filter),
    recentErrorLogs(scope, { from, ...query }),
    scope.db.flow.findFirst({ where: { deleted: false }, select: { id: true } }),
  ]);
  const totals: Partial<Record<ExecutionState, number>> = {};
  for (const point of overTime)
    for (const [state, n] of Object.entries(point.counts) as [ExecutionState, number][])
      totals[state] = (totals[state] ?? 0) + n;
  const ended = Object.entries(totals)
    .filter(([state]) => isTerminal(state as ExecutionState))
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    from,
    to,
    bucket,
    overTime,
    totals,
    successRatio: ended ? (totals.SUCCESS ?? 0) / ended : null,
    active,
    recentFailures: failures.results,
    slowestFlows: slowest.flows,
    perNamespace: namespaces,
    errorLogs,
    hasFlows: flow !== null,
    durationsEstimated: slowest.estimated,
  };
}
