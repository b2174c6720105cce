// The executions list of the UI: keyset pages on (start_date, id) descending — the same cost on page 1
// and page 10,000, unlike OFFSET —, a bounded count, a "changed since" poll for live updates, and the
// executions-per-day-by-state chart above the table. Rows are the list's columns only, never the document.
import { BadRequestError } from "./errors";
import { type ExecutionFilter, readRows, scopedExecutionWhere } from "./execution-query";
import type { ExecutionState } from "./executions";
import type { ServiceScope } from "./scope";

export interface ExecutionRow {
  id: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  state: ExecutionState;
  startDate: Date;
  endDate: Date | null;
  updatedAt: Date;
  labels: { key: string; value: string }[];
  triggerType: string | null;
  parentId: string | null;
}

export interface ExecutionPage {
  results: ExecutionRow[];
  /** The cursor of the next page, absent on the last one. */
  next?: string;
}

/** Counts stop here: "10,000+ executions" costs the same on a million rows as on ten thousand. */
export const COUNT_CAP = 10_000;

const COLUMNS = `e.id, e.namespace, e.flow_id as "flowId", e.flow_revision as "flowRevision", e.state,
  e.start_date as "startDate", e.end_date as "endDate", e.updated_at as "updatedAt", e.labels,
  e.trigger->>'type' as "triggerType", e.parent_id as "parentId"`;

/** An opaque cursor: the last row's start date and id. */
export function encodeCursor(row: { startDate: Date; id: string }): string {
  return Buffer.from(`${row.startDate.toISOString()}|${row.id}`).toString("base64url");
}

export function decodeCursor(cursor: string): { startDate: Date; id: string } {
  const text = Buffer.from(cursor, "base64url").toString();
  const at = text.indexOf("|");
  const startDate = new Date(text.slice(0, at));
  const id = text.slice(at + 1);
  if (at < 0 || Number.isNaN(startDate.getTime()) || !/^[A-Za-z0-9_-]{1,64}$/.test(id))
    throw new BadRequestError("The page cursor is not one this list gave.");
  return { startDate, id };
}

export async function listExecutionPage(
  scope: ServiceScope,
  filter: ExecutionFilter,
  page: { cursor?: string; size: number },
): Promise<ExecutionPage> {
  const sql = scopedExecutionWhere(scope, filter);
  if (page.cursor) {
    const after = decodeCursor(page.cursor);
    sql.where(`(e.start_date, e.id) < (${sql.param(after.startDate)}, ${sql.param(after.id)})`);
  }
  const limit = sql.param(page.size + 1);
  const rows = await readRows<ExecutionRow>(
    scope,
    `select ${COLUMNS} from executions e ${sql.clause} order by e.start_date desc, e.id desc limit ${limit}`,
    sql.params,
  );
  const results = rows.slice(0, page.size);
  const last = results[results.length - 1];
  return { results, ...(rows.length > page.size && last ? { next: encodeCursor(last) } : {}) };
}

/** How many executions match, up to COUNT_CAP (`capped` says the real number is larger). */
export async function countExecutions(
  scope: ServiceScope,
  filter: ExecutionFilter,
): Promise<{ count: number; capped: boolean }> {
  const sql = scopedExecutionWhere(scope, filter);
  const cap = sql.param(COUNT_CAP + 1);
  const [row] = await readRows<{ n: number }>(
    scope,
    `select count(*)::int as n from (select 1 from executions e ${sql.clause} limit ${cap}) matching`,
    sql.params,
  );
  const n = row?.n ?? 0;
  return { count: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
}

/**
 * Rows of the filter changed after `since` (their updated_at), newest change last, at most `limit`: the
 * list polls this every few seconds with the largest updatedAt it has seen and merges what comes back.
 */
export async function executionsChangedSince(
  scope: ServiceScope,
  filter: ExecutionFilter,
  since: Date,
  limit = 200,
): Promise<ExecutionRow[]> {
  const sql = scopedExecutionWhere(scope, filter);
  sql.where(`e.updated_at > ${sql.param(since)}`);
  const cap = sql.param(limit);
  return readRows<ExecutionRow>(
    scope,
    `select ${COLUMNS} from executions e ${sql.clause} order by e.updated_at asc limit ${cap}`,
    sql.params,
  );
}

export type Bucket = "hour" | "day";

export interface StateCounts {
  /** Start of the bucket. */
  date: Date;
  counts: Partial<Record<ExecutionState, number>>;
}

/** Executions per bucket (day or hour, in `timeZone`) and state, between filter.from and filter.to. */
export async function executionsOverTime(
  scope: ServiceScope,
  filter: ExecutionFilter,
  options: { bucket: Bucket; timeZone: string },
): Promise<StateCounts[]> {
  const sql = scopedExecutionWhere(scope, filter);
  const unit = sql.param(options.bucket);
  const zone = sql.param(validTimeZone(options.timeZone));
  const rows = await readRows<{ bucket: Date; state: ExecutionState; n: number }>(
    scope,
    `select date_trunc(${unit}, e.start_date, ${zone}) as bucket, e.state, count(*)::int as n
       from executions e ${sql.clause} group by 1, 2`,
    sql.params,
  );
  const byDate = new Map<number, StateCounts>();
  for (const row of rows) {
    const key = row.bucket.getTime();
    const entry = byDate.get(key) ?? { date: row.bucket, counts: {} };
    entry.counts[row.state] = row.n;
    byDate.set(key, entry);
  }
  // Sorted here: an ORDER BY would make PostgreSQL sort every row before grouping instead of hashing.
  return [...byDate.values()].sort((a, b) => a.date.getTime() - b.date.getTime());
}

/** An IANA time zone PostgreSQL knows, or UTC (Intl and PostgreSQL share the tz database). */
export function validTimeZone(zone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone;
  } catch {
    return "UTC";
  }
}
