import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { setUpEmbeddedEngine, TENANT } from "./harness";
import { type EngineProcess, spawnEngine } from "./processes";

/**
 * Two `cadenza server engine` processes on one database share 200 executions of a 5-task flow. Light tasks
 * are not run inline here, so every task attempt is a queue job one of the two processes takes.
 */
const h = setUpEmbeddedEngine({ inlineTasks: false });
const dataDir = mkdtempSync(join(tmpdir(), "cadenza-two-engines-"));
const engines: EngineProcess[] = [];
afterAll(async () => {
  for (const engine of engines) await engine.stop().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
});

describe("two engine processes on one database", () => {
  it("run 200 executions of a 5-task flow: no task run executed twice, none lost", async () => {
    const env = {
      DATABASE_URL: h.database.url,
      CADENZA_DATA_DIR: dataDir,
      CADENZA_INLINE_TASKS: "false",
      CADENZA_RETENTION_DAYS: "0",
    };
    engines.push(...(await Promise.all([spawnEngine(env), spawnEngine(env)])));
    await h.deploy(`id: five
namespace: load
tasks:
${[1, 2, 3, 4, 5].map((n) => `  - { id: t${n}, type: core.log.Log, message: "ran {{ taskrun.id }}" }`).join("\n")}
`);
    const ids: string[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const started = await Promise.all(
        Array.from({ length: 10 }, () => h.client.start(TENANT, "load", "five")),
      );
      ids.push(...started.map((e) => e.id));
    }
    const deadline = Date.now() + 120_000;
    let ended = 0;
    while (Date.now() < deadline) {
      const rows = await h.query<{ n: number }>(
        "select count(*)::int as n from executions where id = any($1::text[]) and state in ('SUCCESS','FAILED','KILLED','WARNING')",
        [ids],
      );
      ended = rows[0]?.n ?? 0;
      if (ended === ids.length) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(ended).toBe(200);
    const states = await h.query<{ state: string; n: number }>(
      "select state::text, count(*)::int as n from executions where id = any($1::text[]) group by state",
      [ids],
    );
    expect(states).toEqual([{ state: "SUCCESS", n: 200 }]);
    const runs = await h.query<{ n: number; attempts: number }>(
      "select count(*)::int as n, coalesce(max(jsonb_array_length(attempts)), 0)::int as attempts from task_runs where execution_id = any($1::text[])",
      [ids],
    );
    expect(runs[0]).toEqual({ n: 1000, attempts: 1 });
    const executedTwice = await h.query(
      `select task_run_id, count(*)::int from log_entries where execution_id = any($1::text[]) and message like 'ran %'
       group by task_run_id having count(*) <> 1`,
      [ids],
    );
    expect(executedTwice).toEqual([]);
    const logged = await h.query<{ n: number }>(
      "select count(*)::int as n from log_entries where execution_id = any($1::text[]) and message like 'ran %'",
      [ids],
    );
    expect(logged[0]?.n).toBe(1000);
  }, 180_000);
});
