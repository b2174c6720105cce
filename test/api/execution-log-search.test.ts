// Text search in an execution's logs (server/services/execution-log-search.ts): every page, count and jump
// is checked against the same answer computed in JS over all the lines (case-insensitive substring of the
// message or the task id; %, _ and \ are plain characters), through tRPC with the real limits, and through
// the service with tiny limits so that each way of searching runs on a small execution: the time-order
// window, the trigram index's candidates, the window kept when a word is too frequent ("searched N lines,
// continue after …"), the scan of a term too short for trigrams, and counts that say where they stopped.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuthorizedPrincipal } from "@/server/access/authorize";
import { ACTIONS, PERMISSIONS } from "@/server/access/permissions";
import type { SearchLimits } from "@/server/services/execution-log-search";
import {
  type LogCursor,
  type LogPageQuery,
  logCounts,
  logPage,
  nextLogLine,
} from "@/server/services/execution-logs";
import { createScope } from "@/server/services/scope";
import { setUpApi } from "./harness";

const api = setUpApi();

const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"] as const;
type Level = (typeof LEVELS)[number];
interface Line {
  id: string;
  level: Level;
  message: string;
  taskId: string | null;
  timestamp: string;
}

const TINY: SearchLimits = { scan: 20, candidates: 40, count: 10, shortScan: 30, indexDensity: 0.1 };

const TERMS = [
  "disk full", // case-insensitive, ~1 line in 11: the trigram index's candidates overflow under TINY
  "DISK full AT 1", // several words, the rarest looked up
  "needle", // 3 lines: the trigram index
  "line", // nearly every line: the window fills
  "100%", // % is a character
  "a%b",
  "a_b", // _ is a character
  "c:\\temp\\", // \ is a character
  "%",
  "_",
  "\\",
  "ab", // too short for trigrams
  "x",
  "fetch_data", // a task id
  "FETCH", // a task id, another case
  "nothing matches this",
];

const ids = (lines: { id: string }[]) => lines.map((l) => l.id);
const cursor = (line: { id: string; timestamp: string }): LogCursor => ({
  timestamp: line.timestamp,
  id: line.id,
});
const keeps = (line: Line, minLevel: Level, text: string) =>
  LEVELS.indexOf(line.level) >= LEVELS.indexOf(minLevel) &&
  (line.message.toLowerCase().includes(text.toLowerCase()) ||
    (line.taskId ?? "").toLowerCase().includes(text.toLowerCase()));

interface Way {
  page(q: LogPageQuery): Promise<{ lines: LogCursor[]; more: boolean; searched?: { until: LogCursor } }>;
  counts(q: { minLevel?: Level; text?: string }): ReturnType<typeof logCounts>;
  next(q: { text?: string; after?: LogCursor }): Promise<{ id: string } | null>;
}

describe("execution logs text search", () => {
  let all: Line[] = [];
  const ways: Record<string, Way> = {};
  // How often each way of searching that is visible from outside ran (under the tiny limits).
  const seen = { partialPages: 0, cappedCounts: 0, scannedCounts: 0, tinyTerms: 0 };

  beforeAll(async () => {
    const admin = await api.admin("search", "admin@search.test");
    await api.deploy(
      "search",
      admin.token,
      "id: f\nnamespace: team.search\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n",
    );
    await api.query(
      `insert into executions (id, tenant_id, namespace, flow_id, flow_revision, state, document, updated_at)
       values ('search-x', $1, 'team.search', 'f', 1, 'SUCCESS', '{"id":"search-x","namespace":"team.search","flowId":"f","state":{"current":"SUCCESS"}}', now())`,
      [admin.tenantId],
    );
    // 300 lines, four per millisecond (ties broken by id), written out of time order.
    await api.query(
      `insert into log_entries (tenant_id, namespace, flow_id, execution_id, task_id, level, message, timestamp)
       select $1, 'team.search', 'f', 'search-x',
              case when g % 7 = 0 then null when g % 5 = 0 then 'Fetch_Data' else 'task' || (g % 3) end,
              (array['TRACE','DEBUG','INFO','WARN','ERROR'])[1 + (g * 7) % 5]::log_level,
              case when g % 11 = 0 then 'Disk FULL at ' || g
                   when g in (101, 233, 287) then 'found the NeEdLe in ' || g
                   when g % 13 = 0 then '100% done, a%b and a_b in C:\\temp\\' || g
                   when g % 17 = 0 then 'axb and aXb ' || g
                   else 'line ' || g end,
              timestamptz '2026-01-01' + ((300 - g) / 4) * interval '1 millisecond'
       from generate_series(0, 299) g`,
      [admin.tenantId],
    );
    all = (
      await api.query<{ id: string; level: Level; message: string; task_id: string | null; timestamp: Date }>(
        "select id::text, level, message, task_id, timestamp from log_entries where execution_id = 'search-x'",
      )
    )
      .map((r) => ({
        id: r.id,
        level: r.level,
        message: r.message,
        taskId: r.task_id,
        timestamp: r.timestamp.toISOString(),
      }))
      .sort((a, b) => a.timestamp.localeCompare(b.timestamp) || Number(BigInt(a.id) - BigInt(b.id)));
    expect(all.some((l) => l.message.includes("C:\\temp\\"))).toBe(true);

    const caller = await api.trpc({ token: admin.token });
    const scope = createScope({
      db: api.database.db,
      tenant: { id: admin.tenantId, slug: "search", name: "search" },
      principal: adminPrincipal(admin.tenantId),
      engine: async () => api.engine,
    });
    const base = { tenant: "search", executionId: "search-x" };
    ways.trpc = {
      page: (q) => caller.executions.logPage({ ...base, ...q }),
      counts: (q) => caller.executions.logCounts({ ...base, ...q }),
      next: (q) => caller.executions.logNext({ ...base, level: "ERROR", ...q }),
    };
    ways.tiny = {
      page: (q) => logPage(scope, "search-x", q, TINY),
      counts: (q) => logCounts(scope, "search-x", q, TINY),
      next: (q) => nextLogLine(scope, "search-x", { level: "ERROR", ...q }, TINY),
    };
  }, 60_000);

  afterAll(() => {
    // Each way of searching ran under the tiny limits (when every term ran).
    if (seen.tinyTerms === TERMS.length) {
      expect(seen.partialPages).toBeGreaterThan(0);
      expect(seen.cappedCounts).toBeGreaterThan(0);
      expect(seen.scannedCounts).toBeGreaterThan(0);
    }
  });

  for (const way of ["trpc", "tiny"])
    for (const text of TERMS)
      it(`${way}: ${JSON.stringify(text)} pages, counts and jumps as a scan of every line would`, async () => {
        const call = ways[way] as Way;
        if (way === "tiny") seen.tinyTerms++;
        for (const minLevel of ["TRACE", "WARN"] as Level[]) {
          const label = `${minLevel} ${JSON.stringify(text)}`;
          const expected = all.filter((line) => keeps(line, minLevel, text));
          // Forward: each page continues after its last line, or after where a partial search stopped.
          const forward: string[] = [];
          let after: LogCursor | undefined;
          for (let guard = 0; guard < 100; guard++) {
            const page = await call.page({ minLevel, text, limit: 13, ...(after ? { after } : {}) });
            forward.push(...ids(page.lines));
            if (page.searched) seen.partialPages++;
            if (!page.more) break;
            after = page.searched?.until ?? cursor(page.lines.at(-1) as LogCursor);
          }
          expect(forward, label).toEqual(ids(expected));
          // Backward from the end, the same way.
          const backward: string[] = [];
          let before: LogCursor | undefined;
          for (let guard = 0; guard < 100; guard++) {
            const page = await call.page({
              minLevel,
              text,
              limit: 17,
              ...(before ? { before } : { fromEnd: true }),
            });
            backward.unshift(...ids(page.lines));
            if (!page.more) break;
            before = page.searched?.until ?? cursor(page.lines[0] as LogCursor);
          }
          expect(backward, label).toEqual(ids(expected));

          const counts = await call.counts({ minLevel, text });
          expect(counts.total, label).toBe(300);
          const partial = counts.partial;
          if (!partial) expect(counts.matching, label).toBe(expected.length);
          else if (partial.reason === "cap") {
            seen.cappedCounts++;
            expect(expected.length, label).toBeGreaterThan(counts.matching);
          } else {
            seen.scannedCounts++;
            const levelled = all.filter((line) => keeps(line, minLevel, ""));
            const within = levelled.slice(0, partial.lines).filter((line) => keeps(line, minLevel, text));
            expect(counts.matching, label).toBe(within.length);
            expect(partial.lines, label).toBeLessThan(levelled.length);
          }
        }
        for (const from of [undefined, all[0], all[150], all[299]] as (Line | undefined)[]) {
          const next = await call.next({ text, ...(from ? { after: cursor(from) } : {}) });
          const position = from ? all.indexOf(from) : -1;
          const wanted = all.find(
            (line, i) => i > position && line.level === "ERROR" && keeps(line, "TRACE", text),
          );
          expect(next?.id ?? null, `next after ${position}`).toBe(wanted?.id ?? null);
        }
      }, 60_000);
});

function adminPrincipal(tenantId: string): AuthorizedPrincipal {
  const grants = new Set(PERMISSIONS.flatMap((p) => ACTIONS.map((a) => `${p}:${a}`)));
  return {
    kind: "user",
    id: "search-admin",
    name: "admin@search.test",
    via: "token",
    access: new Map([[tenantId, [{ grants, namespace: null, role: "Admin" }]]]),
  };
}
