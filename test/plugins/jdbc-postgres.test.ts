// The PostgreSQL tasks against a real server: the tests' embedded PostgreSQL, a fresh database per file.
// Tasks run on the memory engine over a LocalStorage (STORE and CopyOut stream to files on disk); the
// polling Trigger runs on the embedded engine's scheduler. The server listens on loopback, so the tests
// opt in to loopback addresses; one test checks the default policy refuses them before connecting.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpPolicy } from "@/engine/plugin";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { pollUntil, setUpEmbeddedEngine, TENANT } from "@/worker/embedded/test/harness";
import { LocalStorage } from "@/worker/storage";
import { errorOf, newEngine, outputsOf, run } from "./helpers";

const LOOPBACK: HttpPolicy = { allowPrivateNetworks: false, allowedNetworks: ["127.0.0.0/8", "::1/128"] };

/** A libpq URL as `url`, `username`, `password` of a JDBC task. */
function jdbc(url: string): { url: string; username: string; password: string } {
  const u = new URL(url);
  return {
    url: `jdbc:postgresql://${u.hostname}:${u.port}${u.pathname}`,
    username: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

let database: TestDatabase;
let target: ReturnType<typeof jdbc>;
let dir: string;
let storage: LocalStorage;
let admin: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  target = jdbc(database.url);
  dir = await mkdtemp(join(tmpdir(), "cadenza-jdbc-pg-"));
  storage = new LocalStorage(dir);
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(`
    create table orders (id int primary key, customer text, amount numeric(10,2), big bigint,
      placed_at timestamptz, day date, local_ts timestamp, tags text[], data jsonb, blob bytea, processed bool default false);
    insert into orders values
      (1, 'Ada', 12.50, 9007199254740993, '2024-05-01T10:00:00Z', '2024-05-01', '2024-05-01 12:30:00', '{a,b}', '{"k": 1}', '\\x010203', false),
      (2, 'Alan', 7, 42, '2024-05-02T11:00:00+02:00', '2024-05-02', null, '{}', null, null, false),
      (3, 'Grace', 30.25, null, null, null, null, null, '[1, 2]', null, false);`);
}, 60_000);
afterAll(async () => {
  await admin?.end();
  await database?.drop();
  await rm(dir, { recursive: true, force: true });
});

const engineOf = (policy: HttpPolicy = LOOPBACK) => newEngine({ storage, httpPolicy: policy }).engine;
const connection = () => `    url: ${target.url}
    username: ${target.username}
    password: "${target.password}"`;
const flow = (tasks: string) => `id: pg
namespace: company.team
tasks:
${tasks}`;

describe("postgresql.Query", () => {
  it("maps rows to JSON: exact numbers, big integers as text, instants in UTC, dates as text, bytea as base64", async () => {
    const execution = await run(
      engineOf(),
      flow(`  - id: all
    type: io.kestra.plugin.jdbc.postgresql.Query
${connection()}
    sql: select id, customer, amount, big, placed_at, day, local_ts, tags, data, blob from orders where id <= :max order by id
    parameters: { max: 2 }
    fetchType: FETCH
  - id: one
    type: io.kestra.plugin.jdbc.postgresql.Query
${connection()}
    sql: "select count(*) as n, sum(amount) as total, 'it''s :not_a_param' as text, '1'::int as cast from orders"
    fetchType: FETCH_ONE
`),
    );
    expect(execution.state.current).toBe("SUCCESS");
    expect(outputsOf(execution, "all")).toEqual({
      size: 2,
      rows: [
        {
          id: 1,
          customer: "Ada",
          amount: 12.5,
          big: "9007199254740993",
          placed_at: "2024-05-01T10:00:00.000Z",
          day: "2024-05-01",
          local_ts: "2024-05-01T12:30:00",
          tags: ["a", "b"],
          data: { k: 1 },
          blob: "AQID",
        },
        {
          id: 2,
          customer: "Alan",
          amount: 7,
          big: 42,
          placed_at: "2024-05-02T09:00:00.000Z",
          day: "2024-05-02",
          local_ts: null,
          tags: [],
          data: null,
          blob: null,
        },
      ],
    });
    expect(outputsOf(execution, "one")).toEqual({
      size: 1,
      row: { n: 3, total: 49.75, text: "it's :not_a_param", cast: 1 },
    });
  });

  it("STORE writes the rows as an ION file, read through a cursor fetchSize rows at a time", async () => {
    const execution = await run(
      engineOf(),
      flow(`  - id: store
    type: io.kestra.plugin.jdbc.postgresql.Query
${connection()}
    sql: select id, customer, placed_at from orders order by id
    fetchType: STORE
    fetchSize: 2
`),
    );
    const out = outputsOf(execution, "store");
    expect(out.size).toBe(3);
    expect(String(out.uri)).toMatch(
      /^kestra:\/\/\/company\/team\/pg\/executions\/.+\/tasks\/store\/.+\/store\.ion$/,
    );
    expect(Buffer.from(await storage.get(String(out.uri))).toString("utf8")).toBe(
      [
        '{id:1,customer:"Ada",placed_at:2024-05-01T10:00:00Z}',
        '{id:2,customer:"Alan",placed_at:2024-05-02T09:00:00Z}',
        '{id:3,customer:"Grace"}',
        "",
      ].join("\n"),
    );
  });

  it("runs afterSQL in the same transaction, and rolls back both when afterSQL fails", async () => {
    const engine = engineOf();
    const ok = await run(
      engine,
      flow(`  - id: take
    type: io.kestra.plugin.jdbc.postgresql.Query
${connection()}
    sql: select id from orders where not processed and id = :id
    parameters: { id: 3 }
    fetchType: FETCH_ONE
    afterSQL: update orders set processed = true where id = :id
`),
    );
    expect(outputsOf(ok, "take").row).toEqual({ id: 3 });
    expect((await admin.query("select processed from orders where id = 3")).rows[0].processed).toBe(true);
    const failed = await run(
      engine,
      flow(`  - id: take
    type: io.kestra.plugin.jdbc.postgresql.Query
${connection()}
    sql: update orders set customer = 'changed' where id = 1
    afterSQL: select 1/0
`),
    );
    expect(failed.state.current).toBe("FAILED");
    expect(errorOf(failed, "take")).toBe("division by zero");
    expect((await admin.query("select customer from orders where id = 1")).rows[0].customer).toBe("Ada");
  });

  it("fails clearly: a missing parameter, bad SQL, a wrong password, a URL that is not JDBC", async () => {
    const execution = await run(
      engineOf(),
      flow(`  - id: missing
    type: io.kestra.plugin.jdbc.postgresql.Query
${connection()}
    sql: select :a, :b
    parameters: { a: 1 }
    allowFailure: true
  - id: bad_sql
    type: io.kestra.plugin.jdbc.postgresql.Query
${connection()}
    sql: select * from nowhere
    allowFailure: true
  - id: password
    type: io.kestra.plugin.jdbc.postgresql.Query
${connection().replace(`"${target.password}"`, "wrong")}
    sql: select 1
    allowFailure: true
  - id: not_jdbc
    type: io.kestra.plugin.jdbc.postgresql.Query
    url: postgres://localhost/db
    sql: select 1
    allowFailure: true
`),
    );
    expect(errorOf(execution, "missing")).toBe("sql uses the parameter :b, which parameters does not give");
    expect(errorOf(execution, "bad_sql")).toBe('relation "nowhere" does not exist');
    expect(errorOf(execution, "password")).toMatch(
      /^cannot connect to PostgreSQL at .+: password authentication failed/,
    );
    expect(errorOf(execution, "not_jdbc")).toBe(
      "url must be a JDBC URL such as jdbc:postgresql://host:5432/database, got 'postgres://localhost/db'",
    );
  });

  it("refuses loopback and private addresses under the default policy, before connecting", async () => {
    const execution = await run(
      engineOf({ allowPrivateNetworks: false }),
      flow(`  - id: internal
    type: io.kestra.plugin.jdbc.postgresql.Query
${connection()}
    sql: select 1
    allowFailure: true
  - id: metadata
    type: io.kestra.plugin.jdbc.postgresql.Query
    url: jdbc:postgresql://169.254.169.254:5432/x
    sql: select 1
`),
    );
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "metadata")).toBe(
      "connection to 169.254.169.254 refused: private and loopback addresses are blocked (CADENZA_HTTP_ALLOWED_NETWORKS allows ranges)",
    );
    expect(errorOf(execution, "internal")).toMatch(
      /^connection to .+ refused: private and loopback addresses are blocked \(CADENZA_HTTP_ALLOWED_NETWORKS allows ranges\)$/,
    );
  });
});

describe("postgresql.Queries", () => {
  it("runs the statements in one transaction, with one result per statement", async () => {
    const execution = await run(
      engineOf(),
      flow(`  - id: many
    type: io.kestra.plugin.jdbc.postgresql.Queries
${connection()}
    sql: |
      create table products (id serial primary key, name text); -- a comment; with a semicolon
      insert into products (name) values ('kettle;1'), ($$toaster; 2$$);
      select name from products where id > :min order by id;
    parameters: { min: 0 }
    fetchType: FETCH
`),
    );
    expect(outputsOf(execution, "many").outputs).toEqual([
      { rows: [], size: 0 },
      { rows: [], size: 0 },
      { rows: [{ name: "kettle;1" }, { name: "toaster; 2" }], size: 2 },
    ]);
    const rolledBack = await run(
      engineOf(),
      flow(`  - id: many
    type: io.kestra.plugin.jdbc.postgresql.Queries
${connection()}
    sql: insert into products (name) values ('lamp'); select 1/0;
`),
    );
    expect(errorOf(rolledBack, "many")).toBe("division by zero");
    expect((await admin.query("select count(*)::int as n from products")).rows[0].n).toBe(2);
  });
});

describe("postgresql.CopyOut and CopyIn", () => {
  it("export a table as CSV to the internal storage and load it into another table", async () => {
    await admin.query("create table orders_copy (id int, customer text, amount numeric(10,2))");
    const execution = await run(
      engineOf(),
      flow(`  - id: out
    type: io.kestra.plugin.jdbc.postgresql.CopyOut
${connection()}
    sql: select id, customer, amount from orders order by id
    format: CSV
    header: true
  - id: in
    type: io.kestra.plugin.jdbc.postgresql.CopyIn
${connection()}
    from: "{{ outputs.out.uri }}"
    table: orders_copy
    columns: [id, customer, amount]
    format: CSV
    header: true
`),
    );
    expect(execution.state.current).toBe("SUCCESS");
    const out = outputsOf(execution, "out");
    expect(out.rowCount).toBe(3);
    expect(String(out.uri)).toMatch(/\/out\.csv$/);
    expect(Buffer.from(await storage.get(String(out.uri))).toString("utf8")).toBe(
      "id,customer,amount\n1,Ada,12.50\n2,Alan,7.00\n3,Grace,30.25\n",
    );
    expect(outputsOf(execution, "in")).toEqual({ rowCount: 3 });
    const copied = await admin.query("select id, customer, amount::text from orders_copy order by id");
    expect(copied.rows).toEqual([
      { id: 1, customer: "Ada", amount: "12.50" },
      { id: 2, customer: "Alan", amount: "7.00" },
      { id: 3, customer: "Grace", amount: "30.25" },
    ]);
  });
});

describe("postgresql.Trigger on the embedded engine", () => {
  const h = setUpEmbeddedEngine({ httpPolicy: () => LOOPBACK });

  it("starts an execution with the rows once the query returns some", async () => {
    await h.startRuntime();
    const own = jdbc(h.database.url);
    await h.query("create table jobs (id int primary key, name text)");
    await h.deploy(`id: on_jobs
namespace: poll.team
tasks:
  - { id: log, type: io.kestra.plugin.core.log.Log, message: "{{ trigger.size }} {{ trigger.rows[0].name }}" }
triggers:
  - id: jobs
    type: io.kestra.plugin.jdbc.postgresql.Trigger
    url: ${own.url}
    username: ${own.username}
    password: "${own.password}"
    sql: select id, name from jobs order by id
    fetchType: FETCH
    interval: PT0.3S
    stopAfter: [SUCCESS]
`);
    // No rows yet: polls start no execution.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await h.query("select id from executions where flow_id = 'on_jobs'")).toEqual([]);
    await h.query("insert into jobs values (1, 'nightly'), (2, 'weekly')");
    const rows = await pollUntil(
      () =>
        h.query<{ id: string }>("select id from executions where flow_id = 'on_jobs' and state = 'SUCCESS'"),
      (found) => found.length > 0,
      20_000,
      100,
    );
    const execution = await h.client.get(TENANT, rows[0]?.id ?? "");
    expect(execution?.trigger).toMatchObject({
      id: "jobs",
      variables: {
        size: 2,
        rows: [
          { id: 1, name: "nightly" },
          { id: 2, name: "weekly" },
        ],
      },
    });
  }, 60_000);

  it("with STORE, hands the execution an ION file its tasks can read", async () => {
    const own = jdbc(h.database.url);
    await h.query("create table events (id int primary key, kind text)");
    await h.query("insert into events values (1, 'signup'), (2, 'login')");
    await h.deploy(`id: on_events
namespace: poll.team
tasks:
  - { id: to_json, type: io.kestra.plugin.serdes.json.IonToJson, from: "{{ trigger.uri }}" }
triggers:
  - id: events
    type: io.kestra.plugin.jdbc.postgresql.Trigger
    url: ${own.url}
    username: ${own.username}
    password: "${own.password}"
    sql: select id, kind from events order by id
    fetchType: STORE
    interval: PT0.3S
    stopAfter: [SUCCESS]
`);
    const rows = await pollUntil(
      () =>
        h.query<{ id: string }>(
          "select id from executions where flow_id = 'on_events' and state = 'SUCCESS'",
        ),
      (found) => found.length > 0,
      20_000,
      100,
    );
    const execution = await h.client.get(TENANT, rows[0]?.id ?? "");
    expect(execution?.trigger?.variables).toMatchObject({
      size: 2,
      uri: expect.stringMatching(/^kestra:\/\/\/poll\/team\/on_events\/triggers\/events\/.+\.ion$/),
    });
    expect(execution?.taskRunList.find((r) => r.taskId === "to_json")?.outputs).toMatchObject({ size: 2 });
  }, 60_000);
});
