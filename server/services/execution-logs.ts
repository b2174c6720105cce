// An execution's logs read a window at a time, for logs too long to ship whole (a million lines): a page of
// lines in time order after or before a keyset cursor (timestamp, id), filtered by minimum level and text;
// the next line of a level after a cursor ("jump to next error"); and the counts that say how many lines of
// how many are shown — per level in one index-only pass, and the lines matching a text search. The indexes
// are log_entries (execution_id, timestamp, id) and (execution_id, level, timestamp, id); a text search also
// uses the trigram index, as execution-log-search.ts explains.

import { NotFoundError } from "./errors";
import {
  countMatches,
  matchCondition,
  SEARCH,
  type SearchCount,
  type SearchLimits,
  searchLines,
  Where,
} from "./execution-log-search";
import { LOG_LEVELS, type LogJson, type LogLevelName } from "./executions";
import type { ServiceScope } from "./scope";

export interface LogCursor {
  /** ISO date of the line's timestamp (milliseconds). */
  timestamp: string;
  id: string;
}

export interface LogFilter {
  minLevel?: LogLevelName;
  /** Case-insensitive substring of the message or the task id. */
  text?: string;
}

export interface LogPageQuery extends LogFilter {
  /** Lines after this one; without after/before, the first lines (or the last ones with `fromEnd`). */
  after?: LogCursor;
  /** Lines before this one, returned in time order. */
  before?: LogCursor;
  fromEnd?: boolean;
  limit?: number;
}

export interface LogPage {
  lines: LogJson[];
  /** Whether more matching lines lie beyond the page in the direction it was read. */
  more: boolean;
  /**
   * Set when a text search read `lines` lines from the cursor without filling the page (a term too short
   * for the trigram index, or one with many matches elsewhere): the page holds the matches among them, and
   * the search continues after (or before, read backwards) `until`.
   */
  searched?: { lines: number; until: LogCursor };
}

export interface LogCounts {
  total: number;
  /** Lines per level. */
  levels: Partial<Record<LogLevelName, number>>;
  /** Lines the filter keeps: exact unless `partial` says where a text search's count stopped. */
  matching: number;
  /**
   * "cap": more than `matching` lines match (the count stops there); "scanned": `matching` lines match among
   * the first `lines` lines (a term too short for the trigram index is not counted further).
   */
  partial?: SearchCount["partial"];
}

export const MAX_LOG_PAGE = 2_000;

/** A 404 for an execution this tenant does not have (the operation's rule has checked READ on it). */
async function mustExist(scope: ServiceScope, executionId: string): Promise<void> {
  const found = await scope.db.execution.findUnique({
    where: { id: executionId },
    select: { id: true },
  });
  if (!found) throw new NotFoundError(`Execution ${executionId} not found.`);
}

/** The execution's lines at the filter's levels (its text is matched by execution-log-search.ts). */
function filtered(executionId: string, filter: { minLevel?: LogLevelName }): Where {
  const where = new Where();
  // The execution id alone: mustExist() found the execution in this tenant (ids are unique across tenants
  // and its lines are written with its tenant), and a tenant_id condition, not in the indexes, would turn
  // the per-level count's index-only scan into a scan of the table (measured: 1.9 s vs 0.4 s cold).
  where.and(`l.execution_id = ${where.param(executionId)}`);
  const levels = LOG_LEVELS.slice(LOG_LEVELS.indexOf(filter.minLevel ?? "TRACE"));
  // One level as an equality, so the (execution_id, level, timestamp, id) index gives its lines in order.
  if (levels.length === 1) where.and(`l.level = ${where.param(levels[0])}::log_level`);
  else if (levels.length < LOG_LEVELS.length) where.and(`l.level = any(${where.param(levels)}::log_level[])`);
  return where;
}

type LogRow = Omit<LogJson, "timestamp"> & { timestamp: Date };

const COLUMNS = `l.id::text as id, l.namespace, l.flow_id as "flowId", l.execution_id as "executionId",
  l.task_id as "taskId", l.task_run_id as "taskRunId", l.attempt_number as "attemptNumber",
  l.trigger_id as "triggerId", l.level, l.message, l.timestamp`;

async function rows(scope: ServiceScope, text: string, params: unknown[]): Promise<LogJson[]> {
  const engine = await scope.engine();
  const result = await engine.ctx.pool.query<LogRow>(text, params);
  return result.rows.map(toJson);
}

function cursorValue(where: Where, cursor: LogCursor): string {
  if (!/^\d{1,19}$/.test(cursor.id)) throw new NotFoundError("No such log line.");
  return `(${where.param(new Date(cursor.timestamp))}::timestamptz, ${where.param(cursor.id)}::bigint)`;
}

function toJson(row: LogRow): LogJson {
  return { ...row, timestamp: row.timestamp.toISOString() };
}

/** A page of the execution's lines in time order (see LogPageQuery). */
export async function logPage(
  scope: ServiceScope,
  executionId: string,
  query: LogPageQuery = {},
  limits: SearchLimits = SEARCH,
): Promise<LogPage> {
  await mustExist(scope, executionId);
  const limit = Math.min(Math.max(1, query.limit ?? 500), MAX_LOG_PAGE);
  const where = filtered(executionId, query);
  if (query.after) where.and(`(l.timestamp, l.id) > ${cursorValue(where, query.after)}`);
  if (query.before) where.and(`(l.timestamp, l.id) < ${cursorValue(where, query.before)}`);
  const backwards = Boolean(query.before || (query.fromEnd && !query.after));
  const order = backwards ? "desc" : "asc";
  const text = query.text?.trim();
  let found: LogJson[];
  let searched: LogPage["searched"];
  if (text) {
    const engine = await scope.engine();
    const result = await searchLines<LogRow>(
      engine.ctx.pool,
      { base: where, text, columns: COLUMNS, order, limit: limit + 1 },
      limits,
    );
    found = result.rows.map(toJson);
    if (result.searched)
      searched = {
        lines: result.searched.lines,
        until: { timestamp: result.searched.until.timestamp.toISOString(), id: result.searched.until.id },
      };
  } else {
    found = await rows(
      scope,
      `select ${COLUMNS} from log_entries l ${where.clause}
        order by l.timestamp ${order}, l.id ${order} limit ${where.param(limit + 1)}`,
      where.params,
    );
  }
  const more = found.length > limit || searched !== undefined;
  const page = found.slice(0, limit);
  return { lines: backwards ? page.reverse() : page, more, ...(searched ? { searched } : {}) };
}

/**
 * The first line at `level` (exactly) after `after` (from the start without it) that the text filter keeps,
 * or null: "jump to the next error".
 */
export async function nextLogLine(
  scope: ServiceScope,
  executionId: string,
  query: { level: LogLevelName; text?: string; after?: LogCursor },
  limits: SearchLimits = SEARCH,
): Promise<LogJson | null> {
  await mustExist(scope, executionId);
  const where = filtered(executionId, {});
  where.and(`l.level = ${where.param(query.level)}::log_level`);
  if (query.after) where.and(`(l.timestamp, l.id) > ${cursorValue(where, query.after)}`);
  const text = query.text?.trim();
  if (text) {
    const engine = await scope.engine();
    const found = await searchLines<LogRow>(
      engine.ctx.pool,
      { base: where, text, columns: COLUMNS, order: "asc", limit: 1 },
      limits,
    );
    // Not found near the cursor nor by the trigram index (too short, or too many matches at other levels):
    // only the time-order scan of the level's lines can answer, however long it takes.
    if (!found.searched) return found.rows[0] ? toJson(found.rows[0]) : null;
    where.and(matchCondition(where, text));
  }
  const [line] = await rows(
    scope,
    `select ${COLUMNS} from log_entries l ${where.clause} order by l.timestamp, l.id limit 1`,
    where.params,
  );
  return line ?? null;
}

/** How many lines the execution has, per level, and how many the filter keeps. */
export async function logCounts(
  scope: ServiceScope,
  executionId: string,
  filter: LogFilter = {},
  limits: SearchLimits = SEARCH,
): Promise<LogCounts> {
  await mustExist(scope, executionId);
  const engine = await scope.engine();
  const all = filtered(executionId, {});
  const text = filter.text?.trim();
  // The search's count on a connection of its own, beside the per-level one.
  const [perLevel, counted] = await Promise.all([
    engine.ctx.pool.query<{ level: LogLevelName; n: number }>(
      `select l.level, count(*)::int as n from log_entries l ${all.clause} group by 1`,
      all.params,
    ),
    text ? countMatches(engine.ctx.pool, filtered(executionId, filter), text, limits) : undefined,
  ]);
  const levels = Object.fromEntries(perLevel.rows.map((r) => [r.level, r.n])) as LogCounts["levels"];
  const total = perLevel.rows.reduce((sum, r) => sum + r.n, 0);
  if (counted) return { total, levels, ...counted };
  const kept = LOG_LEVELS.slice(LOG_LEVELS.indexOf(filter.minLevel ?? "TRACE"));
  return { total, levels, matching: kept.reduce((sum, level) => sum + (levels[level] ?? 0), 0) };
}
