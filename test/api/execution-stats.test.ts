// The execution stats behind the dashboard (execution_stats, execution_duration_stats): kept equal to a
// count of executions through both engines' write path (insertExecution / saveExecution), state changes
// across hours, several changes in one transaction, a rollback, bulk SQL and deletes; rebuilt and
// backfilled by the migration to the same rows; and the dashboard's figures read from them equal the same
// figures counted directly on executions.
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import type { Execution } from "@/engine/executor";
import type { AuthorizedPrincipal } from "@/server/access/authorize";
import { ACTIONS, PERMISSIONS } from "@/server/access/permissions";
import { applyMigrations } from "@/server/db/migrate";
import { migrationsDir } from "@/server/paths";
import { perNamespace, slowestFlows, stateCountsByBucket } from "@/server/services/dashboard";
import { slowestFlowsFromStats } from "@/server/services/execution-stats";
import { createScope } from "@/server/services/scope";
import { insertExecution, saveExecution } from "@/worker/embedded/execution-store";
import { createTestDatabase } from "../db";
import { setUpApi } from "./harness";

const api = setUpApi();

type State = Execution["state"]["current"];

function execution(id: string, flow: string, state: State, start: string, end?: string): Execution {
  return {
    id,
    namespace: flow.startsWith("b") ? "team.b" : "team.a.sub",
    flowId: flow,
    flowRevision: 1,
    state: {
      current: state,
      histories: [{ state, date: start }],
      startDate: start,
      ...(end ? { endDate: end } : {}),
    },
    inputs: {},
    labels: [],
    taskRunList: [],
    originalId: id,
    metadata: { attemptNumber: 1, originalCreatedDate: start },
  };
}

const STATS = `select tenant_id, hour, namespace, state::text, executions::int
                 from execution_stats order by 1, 2, 3, 4`;
const COUNTED = `select tenant_id, execution_stats_hour(start_date) as hour, namespace, state::text,
                        count(*)::int as executions
                   from executions group by 1, 2, 3, 4 order by 1, 2, 3, 4`;
const DURATIONS = `select tenant_id, day, namespace, flow_id, bucket, executions::int
                     from execution_duration_stats order by 1, 2, 3, 4, 5`;
const MEASURED = `select tenant_id, execution_stats_day(start_date) as day, namespace, flow_id,
                         execution_duration_bucket(start_date, end_date) as bucket, count(*)::int as executions
                    from executions where end_date is not null group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`;

async function expectExact() {
  expect(await api.query(STATS)).toEqual(await api.query(COUNTED));
  expect(await api.query(DURATIONS)).toEqual(await api.query(MEASURED));
}

/** Executions over three days in both namespaces: states and durations (0 ms .. ~17 min) in patterns. */
async function bulk(tenantId: string, prefix: string, count: number, origin: Date) {
  await api.query(
    `insert into executions (id, tenant_id, namespace, flow_id, flow_revision, state, start_date, end_date, updated_at)
     select $2 || g, $1, case when g % 3 = 0 then 'team.b' else 'team.a.sub' end, 'f' || (g % 4), 1,
            (case when g % 10 = 3 then 'FAILED' when g % 17 = 1 then 'RUNNING' else 'SUCCESS' end)::state,
            s, case when g % 17 = 1 then null else s + ((g * 7919) % 1000) * interval '1 second' end, now()
     from generate_series(1, $3::int) g,
          lateral (select $4::timestamptz - ((g * 104729) % 259200) * interval '1 second' as s) x`,
    [tenantId, prefix, count, origin],
  );
}

function adminScope(tenantId: string, now: Date) {
  const grants = new Set(PERMISSIONS.flatMap((p) => ACTIONS.map((a) => `${p}:${a}`)));
  const principal: AuthorizedPrincipal = {
    kind: "user",
    id: "stats",
    name: "stats@example.com",
    via: "token",
    access: new Map([[tenantId, [{ grants, namespace: null, role: "Admin" }]]]),
  };
  return createScope({
    db: api.database.db,
    tenant: { id: tenantId, slug: "stats", name: "Stats" },
    principal,
    engine: async () => api.engine,
    now: () => now,
  });
}

describe("execution stats", () => {
  it("stay equal to a count of executions through the engines' writes, state changes and deletes", async () => {
    const { tenantId } = await api.admin("stats", "admin@stats.test");
    const other = await api.admin("stats-other", "admin@stats-other.test");
    const pool = api.engine.ctx.pool;
    await expectExact();

    // Both engines write executions through insertExecution and saveExecution.
    const running = execution("s-run", "a1", "RUNNING", "2026-03-01T10:59:30.000Z");
    await insertExecution(pool, tenantId, running);
    await insertExecution(pool, other.tenantId, execution("o-run", "a1", "RUNNING", "2026-03-01T10:20:00Z"));
    await expectExact();
    const ended = execution("s-run", "a1", "SUCCESS", running.state.startDate, "2026-03-01T11:04:00.000Z");
    await saveExecution(pool, tenantId, running, ended);
    await expectExact();
    // A restart: back to RUNNING with a start in the next hour, then failed.
    const restarted = execution("s-run", "a1", "RUNNING", "2026-03-01T11:05:00.000Z");
    await saveExecution(pool, tenantId, ended, restarted);
    await expectExact();
    await saveExecution(
      pool,
      tenantId,
      restarted,
      execution("s-run", "a1", "FAILED", restarted.state.startDate, "2026-03-01T11:05:00.000Z"),
    );
    await expectExact();
    expect(
      await api.query("select state::text, executions from execution_stats where tenant_id = $1", [tenantId]),
    ).toEqual([{ state: "FAILED", executions: 1 }]);

    // Several changes in one transaction are counted at its commit, one after the other.
    const client = await pool.connect();
    try {
      await client.query("begin");
      const created = execution("s-tx", "b1", "CREATED", "2026-03-01T12:00:00.000Z");
      await insertExecution(client, tenantId, created);
      const started = execution("s-tx", "b1", "RUNNING", "2026-03-01T12:00:00.000Z");
      await saveExecution(client, tenantId, created, started);
      await saveExecution(
        client,
        tenantId,
        started,
        execution("s-tx", "b1", "WARNING", "2026-03-01T12:00:00.000Z", "2026-03-02T01:00:00.000Z"),
      );
      await client.query("commit");
      // A rolled back change leaves no trace.
      await client.query("begin");
      await insertExecution(client, tenantId, execution("s-gone", "b1", "RUNNING", "2026-03-01T12:30:00Z"));
      await client.query("rollback");
    } finally {
      client.release();
    }
    await expectExact();
    // Changes that touch none of the counted columns (labels) leave the stats alone.
    await api.query(`update executions set labels = '[{"key":"k","value":"v"}]' where id = 's-tx'`);
    await expectExact();

    await bulk(tenantId, "bulk-", 600, new Date("2026-03-03T08:17:00Z"));
    await bulk(other.tenantId, "obulk-", 100, new Date("2026-03-03T08:17:00Z"));
    await expectExact();
    // Bulk changes across hours and states, then deletes (the purges' and the bulk delete's SQL).
    await api.query(
      `update executions set state = 'KILLED', start_date = start_date + interval '50 minutes',
         end_date = coalesce(end_date, start_date) + interval '1 hour' where id like 'bulk-%' and id like '%7'`,
    );
    await expectExact();
    await api.query("delete from executions where tenant_id = $1 and id like 'bulk-%3'", [tenantId]);
    await api.query("delete from executions where id = 's-run'");
    await expectExact();

    // The rebuild (the migration's backfill) gives the same rows.
    const before = await api.query(STATS);
    const durations = await api.query(DURATIONS);
    await api.query("select execution_stats_rebuild()");
    expect(await api.query(STATS)).toEqual(before);
    expect(await api.query(DURATIONS)).toEqual(durations);

    // A tenant's deletion takes its stats with it.
    await api.query("delete from tenants where id = $1", [other.tenantId]);
    await expectExact();
    expect(await api.query("select 1 from execution_stats where tenant_id = $1", [other.tenantId])).toEqual(
      [],
    );
  });

  it("give the dashboard's figures exactly as a count of executions", async () => {
    const { tenantId } = await api.admin("stats-board", "admin@stats-board.test");
    const now = new Date("2026-04-20T13:37:21.000Z");
    await bulk(tenantId, "board-", 3000, now);
    // Ended in the range's partial first hour and day, and a change of state meanwhile.
    await api.query(
      `update executions set state = 'FAILED' where tenant_id = $1 and id like 'board-1%' and id like '%5'`,
      [tenantId],
    );
    const scope = adminScope(tenantId, now);
    const from = new Date(now.getTime() - 2 * 86_400_000 - 1234);

    const direct = async (zone: string, unit: "day" | "hour", extra = "") =>
      Object.fromEntries(
        (
          await api.query<{ k: string; state: string; n: number }>(
            `select to_char(date_trunc($3, start_date, $2) at time zone $2, 'YYYY-MM-DD HH24') as k, state::text, count(*)::int as n
               from executions where tenant_id = $1 and start_date >= $4 ${extra} group by 1, 2`,
            [tenantId, zone, unit, from],
          )
        ).map((r) => [`${r.k} ${r.state}`, r.n]),
      );
    const fromBoard = async (zone: string, bucket: "day" | "hour", filter = {}) => {
      const points = await stateCountsByBucket(scope, { from, ...filter }, { bucket, timeZone: zone });
      const format = new Intl.DateTimeFormat("en-CA", {
        timeZone: zone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        hourCycle: "h23",
      });
      const out: Record<string, number> = {};
      for (const point of points) {
        const p = Object.fromEntries(format.formatToParts(point.date).map((x) => [x.type, x.value]));
        const key = `${p.year}-${p.month}-${p.day} ${bucket === "day" ? "00" : p.hour}`;
        for (const [state, n] of Object.entries(point.counts)) out[`${key} ${state}`] = n as number;
      }
      return out;
    };
    // Europe/Paris and UTC from the stats; Asia/Kolkata (+05:30) and one flow from executions: all equal
    // direct counts.
    expect(await fromBoard("Europe/Paris", "day")).toEqual(await direct("Europe/Paris", "day"));
    expect(await fromBoard("UTC", "hour")).toEqual(await direct("UTC", "hour"));
    expect(await fromBoard("Asia/Kolkata", "day")).toEqual(await direct("Asia/Kolkata", "day"));
    expect(await fromBoard("UTC", "day", { namespace: "team.a" })).toEqual(
      await direct("UTC", "day", "and namespace like 'team.a.%'"),
    );
    expect(await fromBoard("UTC", "day", { flowId: "f2" })).toEqual(
      await direct("UTC", "day", "and flow_id = 'f2'"),
    );

    expect(await perNamespace(scope, { from })).toEqual(
      await api.query(
        `select namespace, count(*)::int as total, (count(*) filter (where state = 'FAILED'))::int as failed
           from executions where tenant_id = $1 and start_date >= $2 group by 1 order by failed desc, total desc, 1`,
        [tenantId, from],
      ),
    );

    // p50 and p95: exact up to EXACT_DURATIONS ended executions, the histogram's estimate within a bucket.
    const exact = await api.query<{ namespace: string; flowId: string; n: number; p50: number; p95: number }>(
      `select namespace, flow_id as "flowId", count(*)::int as n,
         percentile_cont(0.5) within group (order by extract(epoch from end_date - start_date)) * 1000 as p50,
         percentile_cont(0.95) within group (order by extract(epoch from end_date - start_date)) * 1000 as p95
       from executions where tenant_id = $1 and start_date >= $2 and end_date is not null
       group by 1, 2 order by p95 desc, 1, 2`,
      [tenantId, from],
    );
    const flows = await slowestFlows(scope, { from });
    expect(flows.estimated).toBe(false);
    expect(flows.flows).toEqual(
      exact.map((r) => ({
        namespace: r.namespace,
        flowId: r.flowId,
        count: r.n,
        p50Ms: Math.round(Number(r.p50)),
        p95Ms: Math.round(Number(r.p95)),
      })),
    );
    const estimated = await slowestFlowsFromStats(scope, { from }, 10);
    expect(estimated.ended).toBe(exact.reduce((sum, r) => sum + r.n, 0));
    const byFlow = new Map(estimated.flows.map((f) => [`${f.namespace}/${f.flowId}`, f]));
    expect(byFlow.size).toBe(exact.length);
    for (const r of exact) {
      const f = byFlow.get(`${r.namespace}/${r.flowId}`);
      expect(f?.count).toBe(r.n);
      // A bucket is 2^(1/8) ≈ 1.0905 wide.
      expect(Math.abs((f?.p50Ms ?? 0) / Number(r.p50) - 1)).toBeLessThan(0.091);
      expect(Math.abs((f?.p95Ms ?? 0) / Number(r.p95) - 1)).toBeLessThan(0.091);
    }
  });

  it("are backfilled from the executions already there by the migration", async () => {
    const migrations = await mkdtemp(path.join(os.tmpdir(), "cadenza-stats-migrations-"));
    const database = await createTestDatabase({ migrate: false });
    const client = new pg.Client({ connectionString: database.url });
    try {
      await cp(migrationsDir, migrations, { recursive: true });
      // The stats migration and those after it (which may change its functions) are applied afterwards.
      const all = (await readdir(migrations)).filter((n) => /^\d+_/.test(n)).sort();
      const from = all.findIndex((n) => n.endsWith("_execution_stats"));
      expect(from).toBeGreaterThan(0);
      const names = all.slice(from);
      for (const name of names) await rm(path.join(migrations, name), { recursive: true });
      await applyMigrations(database.url, migrations);
      await client.connect();
      await client.query("insert into tenants (id, slug, name, updated_at) values ('t', 't', 'T', now())");
      await client.query(
        `insert into executions (id, tenant_id, namespace, flow_id, flow_revision, state, start_date, end_date, updated_at)
         select 'e' || g, 't', 'ns' || (g % 3), 'f' || (g % 5),
                1, (case when g % 4 = 0 then 'RUNNING' else 'SUCCESS' end)::state,
                timestamptz '2026-02-01' + g * interval '7 minutes',
                case when g % 4 = 0 then null else timestamptz '2026-02-01' + g * interval '7 minutes' + g * interval '1 second' end,
                now()
         from generate_series(1, 500) g`,
      );
      expect(await applyMigrations(database.url, migrationsDir)).toEqual(names);
      const rows = async (sql: string) => (await client.query(sql)).rows;
      expect((await rows(STATS)).length).toBeGreaterThan(0);
      expect(await rows(STATS)).toEqual(await rows(COUNTED));
      expect(await rows(DURATIONS)).toEqual(await rows(MEASURED));
      // And the triggers count from then on.
      await client.query("update executions set state = 'FAILED', end_date = now() where id = 'e4'");
      expect(await rows(STATS)).toEqual(await rows(COUNTED));
    } finally {
      await client.end().catch(() => {});
      await database.drop();
      await rm(migrations, { recursive: true, force: true });
    }
  });
});
