// An execution's logs read a window at a time (executions.logPage / logNext / logCounts, and the follow
// stream's `tail`): every window, jump and count is checked against the same answer computed in JS over all
// the lines, on 1,000 lines with equal timestamps among them (the keyset's id breaks ties), and another
// tenant's execution is not found.
import { describe, expect, it } from "vitest";
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

describe("execution logs by window", () => {
  it("pages, jumps and counts exactly as a scan of every line would", async () => {
    const admin = await api.admin("logs", "admin@logs.test");
    const other = await api.admin("logs-other", "admin@logs-other.test");
    const flow =
      "id: f\nnamespace: team.logs\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n";
    await api.deploy("logs", admin.token, flow);
    const insert = async (tenantId: string, id: string) =>
      api.query(
        `insert into executions (id, tenant_id, namespace, flow_id, flow_revision, state, document, updated_at)
         values ($1, $2, 'team.logs', 'f', 1, 'SUCCESS', $3, now())`,
        [
          id,
          tenantId,
          JSON.stringify({ id, namespace: "team.logs", flowId: "f", state: { current: "SUCCESS" } }),
        ],
      );
    await insert(admin.tenantId, "logs-x");
    await insert(other.tenantId, "logs-y");
    // 1,000 lines, four per millisecond (ties), levels and messages in patterns; written out of time order.
    await api.query(
      `insert into log_entries (tenant_id, namespace, flow_id, execution_id, task_id, level, message, timestamp)
       select $1, 'team.logs', 'f', 'logs-x', case when g % 7 = 0 then null else 'task' || (g % 3) end,
              (array['TRACE','DEBUG','INFO','WARN','ERROR'])[1 + (g * 7) % 5]::log_level,
              case when g % 11 = 0 then 'Disk FULL at ' || g else 'line ' || g end,
              timestamptz '2026-01-01' + ((1000 - g) / 4) * interval '1 millisecond'
       from generate_series(0, 999) g`,
      [admin.tenantId],
    );
    await api.query(
      `insert into log_entries (tenant_id, namespace, flow_id, execution_id, level, message, timestamp)
       values ($1, 'team.logs', 'f', 'logs-y', 'ERROR', 'Disk FULL elsewhere', now())`,
      [other.tenantId],
    );
    const all = (
      await api.query<{ id: string; level: Level; message: string; task_id: string | null; timestamp: Date }>(
        "select id::text, level, message, task_id, timestamp from log_entries where execution_id = 'logs-x'",
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
    const keeps = (line: Line, minLevel: Level, text?: string) =>
      LEVELS.indexOf(line.level) >= LEVELS.indexOf(minLevel) &&
      (!text ||
        line.message.toLowerCase().includes(text.toLowerCase()) ||
        (line.taskId ?? "").toLowerCase().includes(text.toLowerCase()));
    const caller = await api.trpc({ token: admin.token });
    const base = { tenant: "logs", executionId: "logs-x" };
    const ids = (lines: { id: string }[]) => lines.map((l) => l.id);
    const cursor = (line: Line) => ({ timestamp: line.timestamp, id: line.id });

    for (const [minLevel, text] of [
      ["TRACE", undefined],
      ["WARN", undefined],
      ["ERROR", undefined],
      ["TRACE", "disk full"],
      ["INFO", "TASK1"],
    ] as [Level, string | undefined][]) {
      const expected = all.filter((line) => keeps(line, minLevel, text));
      const filter = { minLevel, ...(text ? { text } : {}) };
      // Forward through every window, then backward from the end: the same lines in the same order.
      const forward: string[] = [];
      let page = await caller.executions.logPage({ ...base, ...filter, limit: 37 });
      forward.push(...ids(page.lines));
      while (page.more) {
        page = await caller.executions.logPage({
          ...base,
          ...filter,
          limit: 37,
          after: cursor(page.lines.at(-1) as Line),
        });
        forward.push(...ids(page.lines));
      }
      expect(forward).toEqual(ids(expected));
      const backward: string[] = [];
      page = await caller.executions.logPage({ ...base, ...filter, limit: 50, fromEnd: true });
      backward.unshift(...ids(page.lines));
      while (page.more) {
        page = await caller.executions.logPage({
          ...base,
          ...filter,
          limit: 50,
          before: cursor(page.lines[0] as Line),
        });
        backward.unshift(...ids(page.lines));
      }
      expect(backward).toEqual(ids(expected));

      const counts = await caller.executions.logCounts({ ...base, ...filter });
      expect(counts.total).toBe(1000);
      expect(counts.matching).toBe(expected.length);
      for (const level of LEVELS)
        expect(counts.levels[level] ?? 0).toBe(all.filter((l) => l.level === level).length);

      // Next error after each of a few lines: the first ERROR line after it that the search keeps.
      for (const from of [undefined, all[0], all[400], all[999]] as (Line | undefined)[]) {
        const next = await caller.executions.logNext({
          ...base,
          level: "ERROR",
          ...(text ? { text } : {}),
          ...(from ? { after: cursor(from) } : {}),
        });
        const position = from ? all.indexOf(from) : -1;
        const wanted = all.find(
          (line, i) => i > position && line.level === "ERROR" && keeps(line, "TRACE", text),
        );
        expect(next?.id ?? null).toBe(wanted?.id ?? null);
      }
    }

    // The follow stream's tail: the last lines in time order, then the end of an ended execution.
    const stream = await api.fetch("GET", "logs/logs/logs-x/follow?tail=25", { token: admin.token });
    const body = await stream.text();
    if (!body.includes("data: ")) throw new Error(`${stream.status} ${body}`);
    const streamed = body
      .split("\n")
      .filter((l) => l.startsWith("data: ") && l.includes('"id"'))
      .map((l) => (JSON.parse(l.slice(6)) as { id: string }).id);
    expect(streamed).toEqual(ids(all.slice(-25)));

    // Another tenant's execution is not found through this tenant.
    await expect(caller.executions.logCounts({ tenant: "logs", executionId: "logs-y" })).rejects.toThrow(
      /not found/i,
    );
    const theirs = await (await api.trpc({ token: other.token })).executions.logPage({
      tenant: "logs-other",
      executionId: "logs-y",
    });
    expect(theirs.lines.map((l) => l.message)).toEqual(["Disk FULL elsewhere"]);
  });
});
