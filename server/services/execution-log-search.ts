// A text search in one execution's logs (case-insensitive substring of the message or the task id, as
// Kestra's), bounded in time whatever the term and however many lines the execution has. Two ways to find
// matching lines, each fast where the other is slow:
// - a scan in time order through the (execution_id, [level,] timestamp, id) index, filtering: cheap when the
//   term is frequent (a page fills within a few lines), but a rare term would read every line (2.9 s on a
//   million);
// - the trigram index, GIN (execution_id, message gin_trgm_ops, task_id gin_trgm_ops): cheap when the term
//   is rare, but it returns lines in no order, so a frequent term would fetch all its lines to sort them;
//   and every trigram of a frequent word costs a walk through a long posting list (measured: "record
//   987654 of" 160-220 ms, "987654" alone 14 ms, on 10 million lines).
// So a search first scans a window of SEARCH.scan lines in time order. When that window neither fills the
// page nor reaches the end, the trigram index is asked for the lines holding the term's rarest word (rarest
// in that window, and held by at most SEARCH.indexDensity of it), at most SEARCH.candidates of them, which
// are then matched against the whole term and sorted. When even that word is too frequent, the page is the
// window's, marked with how many lines were searched and where to continue — never a silent cut. A term
// without three letters or digits in a row has no trigram to look up: it is only scanned, over
// SEARCH.shortScan lines. A count is exact when the window or the candidates hold every match; otherwise it
// says "more than N" or "N in the first M lines".
import type pg from "pg";
import { likeLiteral } from "./execution-query";

export interface SearchLimits {
  /** Lines read in time order before the trigram index is asked. */
  scan: number;
  /** Matching lines fetched from the trigram index at most (then sorted in time order). */
  candidates: number;
  /** A count with a search stops here: "more than `count`". */
  count: number;
  /** Lines a term without a trigram is looked for in, per request. */
  shortScan: number;
  /**
   * The trigram index is asked only for a word at most this share of the window holds: a frequent word's
   * lines would overflow `candidates` on a long execution anyway, after building a bitmap of all of them.
   */
  indexDensity: number;
}

export const SEARCH: SearchLimits = {
  scan: 5_000,
  candidates: 5_000,
  count: 2_500,
  shortScan: 20_000,
  indexDensity: 0.05,
};

/**
 * Whether pg_trgm can look `text` up: a LIKE pattern yields trigrams only from runs of three letters or
 * digits (ASCII here, the common ground of every database locale; other letters are then scanned).
 */
function hasTrigram(text: string): boolean {
  return /[A-Za-z0-9]{3}/.test(text);
}

/** A query's parameters and conditions, built up one by one. */
export class Where {
  readonly params: unknown[] = [];
  readonly conditions: string[] = [];
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
  and(condition: string): this {
    this.conditions.push(condition);
    return this;
  }
  get clause(): string {
    return `where ${this.conditions.join(" and ")}`;
  }
  /** The same conditions and parameters, to add more to without changing this one. */
  copy(): Where {
    const other = new Where();
    other.params.push(...this.params);
    other.conditions.push(...this.conditions);
    return other;
  }
}

/** The condition a line must meet to match `text` (appended to `where`'s parameters). */
export function matchCondition(where: Where, text: string): string {
  const pattern = where.param(`%${likeLiteral(text)}%`);
  return `(l.message ilike ${pattern} or l.task_id ilike ${pattern})`;
}

/** What a search's rows hold at least: the keyset. */
export interface LineRow extends pg.QueryResultRow {
  timestamp: Date;
  id: string;
}

export interface Found<Row> {
  rows: Row[];
  /** Set when the rows are those of a window of `lines` lines ending at `until`, not of every line. */
  searched?: { lines: number; until: { timestamp: Date; id: string } };
}

/** The words of `text` the trigram index can look up (each a substring of it). */
export function indexedWords(text: string): string[] {
  return [...new Set(text.split(/\s+/).filter(hasTrigram))];
}

interface WindowStats {
  /** Lines in the window (fewer than its size: it reached the last line). */
  lines: number;
  /** Lines of the window matching each word. */
  perWord: number[];
}

/** How many of the first `window` lines meeting `base` in `order` there are, and hold each word. */
async function windowStats(
  pool: pg.Pool,
  base: Where,
  order: "asc" | "desc",
  window: number,
  words: string[],
): Promise<WindowStats> {
  const where = base.copy();
  const perWord = words.map((w, i) => `(count(*) filter (where ${matchCondition(where, w)}))::int as w${i}`);
  const result = await pool.query<Record<string, number>>(
    `select ${["count(*)::int as lines", ...perWord].join(", ")}
       from (select l.message, l.task_id from log_entries l ${where.clause}
             order by l.timestamp ${order}, l.id ${order} limit ${where.param(window)}) l`,
    where.params,
  );
  const row = result.rows[0] ?? {};
  return { lines: row.lines ?? 0, perWord: words.map((_, i) => row[`w${i}`] ?? 0) };
}

/** The word the trigram index should look up: the one fewest lines of the window hold (then the longest). */
function rarest(words: string[], stats: WindowStats): { word: string; inWindow: number } {
  let best = 0;
  for (let i = 1; i < words.length; i++) {
    const [n, m] = [stats.perWord[i] ?? 0, stats.perWord[best] ?? 0];
    if (n < m || (n === m && (words[i]?.length ?? 0) > (words[best]?.length ?? 0))) best = i;
  }
  return { word: words[best] ?? "", inWindow: stats.perWord[best] ?? 0 };
}

/**
 * Up to `limit` lines meeting `base` (the execution, levels, cursor) that match `text`, in `order`, found as
 * the header says. `columns` are selected from `l`, and must include timestamp and id.
 */
export async function searchLines<Row extends LineRow>(
  pool: pg.Pool,
  query: { base: Where; text: string; columns: string; order: "asc" | "desc"; limit: number },
  limits: SearchLimits = SEARCH,
): Promise<Found<Row>> {
  const { base, text, columns, order, limit } = query;
  const words = indexedWords(text);
  const window = words.length ? limits.scan : limits.shortScan;
  const orderBy = `order by l.timestamp ${order}, l.id ${order}`;

  const scan = base.copy();
  const scanned = await pool.query<Row>(
    `select ${columns} from (select * from log_entries l ${scan.clause} ${orderBy} limit ${scan.param(window)}) l
      where ${matchCondition(scan, text)} ${orderBy} limit ${scan.param(limit)}`,
    scan.params,
  );
  if (scanned.rows.length >= limit) return { rows: scanned.rows };
  const stats = await windowStats(pool, base, order, window, words);
  if (stats.lines < window) return { rows: scanned.rows };

  if (words.length) {
    const { word, inWindow } = rarest(words, stats);
    if (inWindow <= limits.indexDensity * window) {
      const found = await fromTrigramIndex<Row>(pool, { ...query, word, orderBy }, limits.candidates);
      if (found) return { rows: found };
    }
  }
  const edge = await windowEdge(pool, base, order, window);
  return edge ? { rows: scanned.rows, searched: { lines: window, until: edge } } : { rows: scanned.rows };
}

/** The `window`-th line meeting `base` in `order`, or null when fewer lines meet it. */
async function windowEdge(
  pool: pg.Pool,
  base: Where,
  order: "asc" | "desc",
  window: number,
): Promise<{ timestamp: Date; id: string } | null> {
  const where = base.copy();
  const result = await pool.query<{ timestamp: Date; id: string }>(
    `select l.timestamp, l.id::text as id from log_entries l ${where.clause}
      order by l.timestamp ${order}, l.id ${order} offset ${where.param(window - 1)} limit 1`,
    where.params,
  );
  return result.rows[0] ?? null;
}

/**
 * The first `limit` lines in `orderBy` that match `text`, among those the trigram index finds holding `word`
 * (a substring of `text`, so no match is missed), or null when it finds more than `candidates`.
 */
async function fromTrigramIndex<Row extends LineRow>(
  pool: pg.Pool,
  query: {
    base: Where;
    text: string;
    word: string;
    columns: string;
    order: "asc" | "desc";
    orderBy: string;
    limit: number;
  },
  candidates: number,
): Promise<Row[] | null> {
  const where = query.base.copy();
  where.and(matchCondition(where, query.word));
  const cap = where.param(candidates + 1);
  // One row even when nothing matches, to learn how many candidates there were.
  const result = await withTrigramPlan(pool, (client) =>
    client.query<Row & { candidates: number }>(
      `with c as materialized (select * from log_entries l ${where.clause} limit ${cap})
       select m.*, n.candidates from (select count(*)::int as candidates from c) n
         left join lateral (select ${query.columns} from c l where ${matchCondition(where, query.text)}
                             ${query.orderBy} limit ${where.param(query.limit)}) m on true`,
      where.params,
    ),
  );
  if ((result.rows[0]?.candidates ?? 0) > candidates) return null;
  const sign = query.order === "asc" ? 1 : -1;
  return result.rows
    .filter((row) => row.id !== null)
    .map(({ candidates: _, ...row }) => row as unknown as Row)
    .sort((a, b) => sign * (a.timestamp.getTime() - b.timestamp.getTime() || compareIds(a.id, b.id)));
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Runs `work` in a transaction where PostgreSQL cannot read the execution's lines in time order: a search's
 * selectivity is unknown to the planner (it guesses from the pattern's length), and this query exists for
 * the terms the time-order scan is slow for, so the trigram index is the way it must take.
 */
async function withTrigramPlan<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("begin read only");
    await client.query("set local enable_indexscan = off");
    await client.query("set local enable_seqscan = off");
    const result = await work(client);
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export interface SearchCount {
  matching: number;
  /** Unset when `matching` is exact. */
  partial?: { reason: "cap" } | { reason: "scanned"; lines: number };
}

/**
 * How many lines meeting `base` match `text`: exact when the window holds them all or the trigram index's
 * candidates do, else "more than SEARCH.count" or the matches within the window, saying so.
 */
export async function countMatches(
  pool: pg.Pool,
  base: Where,
  text: string,
  limits: SearchLimits = SEARCH,
): Promise<SearchCount> {
  const words = indexedWords(text);
  const window = words.length ? limits.scan : limits.shortScan;
  const stats = await windowStats(pool, base, "asc", window, [text, ...words]);
  const [matching = 0, ...perWord] = stats.perWord;
  if (stats.lines < window) return { matching };
  if (matching > limits.count) return { matching: limits.count, partial: { reason: "cap" } };
  const scanned: SearchCount = { matching, partial: { reason: "scanned", lines: stats.lines } };
  if (!words.length) return scanned;
  const { word, inWindow } = rarest(words, { lines: stats.lines, perWord });
  if (inWindow > limits.indexDensity * window) return scanned;
  const where = base.copy();
  where.and(matchCondition(where, word));
  const cap = where.param(limits.candidates + 1);
  const counted = await withTrigramPlan(pool, (client) =>
    client.query<{ candidates: number; matching: number }>(
      `select count(*)::int as candidates, (count(*) filter (where ${matchCondition(where, text)}))::int as matching
         from (select l.message, l.task_id from log_entries l ${where.clause} limit ${cap}) l`,
      where.params,
    ),
  );
  const found = counted.rows[0] ?? { candidates: 0, matching: 0 };
  return found.candidates > limits.candidates ? scanned : { matching: found.matching };
}
