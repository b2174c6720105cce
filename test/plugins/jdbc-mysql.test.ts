// The MySQL tasks against a real MariaDB server (Debian's mariadb-server, a private instance started by
// test/mariadb.ts). Reported as skipped when the binaries are missing (.ci/run installs them).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpPolicy } from "@/engine/plugin";
import { MARIADB_AVAILABLE, startMariaDb, type TestMariaDb } from "@/test/mariadb";
import { pollUntil, setUpEmbeddedEngine, TENANT } from "@/worker/embedded/test/harness";
import { LocalStorage } from "@/worker/storage";
import { errorOf, newEngine, outputsOf, run } from "./helpers";

const LOOPBACK: HttpPolicy = { allowPrivateNetworks: false, allowedNetworks: ["127.0.0.0/8"] };

describe.skipIf(!MARIADB_AVAILABLE)("MySQL tasks on a real MariaDB", () => {
  let db: TestMariaDb;
  let dir: string;
  let storage: LocalStorage;

  beforeAll(async () => {
    db = await startMariaDb();
    dir = await mkdtemp(join(tmpdir(), "cadenza-jdbc-mysql-"));
    storage = new LocalStorage(dir);
    await db.admin.query(`
      create table orders (id int primary key, customer varchar(50), amount decimal(10,2), big bigint,
        placed_at datetime, day date, blob_col varbinary(10), processed bool default false);
      insert into orders values
        (1, 'Ada', 12.50, 9007199254740993, '2024-05-01 10:00:00', '2024-05-01', x'010203', false),
        (2, 'Alan', 7, 42, null, '2024-05-02', null, false),
        (3, 'Grace', 30.25, null, null, null, null, false);`);
  }, 120_000);
  afterAll(async () => {
    await db?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const engineOf = (policy: HttpPolicy = LOOPBACK) => newEngine({ storage, httpPolicy: policy }).engine;
  // The password has a quote: single-quoted YAML doubles it.
  const connection = (
    type = "mysql",
  ) => `    url: ${type === "mysql" ? db.url.replace("jdbc:mariadb:", "jdbc:mysql:") : db.url}
    username: ${db.username}
    password: '${db.password.replace(/'/g, "''")}'`;
  const flow = (tasks: string) => `id: my
namespace: company.team
tasks:
${tasks}`;

  it("Query maps rows to JSON, binds :name parameters, FETCH_ONE and STORE", async () => {
    const execution = await run(
      engineOf(),
      flow(`  - id: all
    type: io.kestra.plugin.jdbc.mysql.Query
${connection()}
    sql: select id, customer, amount, big, placed_at, day, blob_col from orders where id <= :max order by id
    parameters: { max: 2 }
    fetchType: FETCH
  - id: one
    type: io.kestra.plugin.jdbc.mariadb.Query
${connection("mariadb")}
    sql: "select count(*) as n, sum(amount) as total, 'it''s :not_a_param' as text from orders"
    fetchType: FETCH_ONE
  - id: store
    type: io.kestra.plugin.jdbc.mysql.Query
${connection()}
    sql: select id, customer from orders order by id
    fetchType: STORE
    fetchSize: 2
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
          placed_at: "2024-05-01T10:00:00",
          day: "2024-05-01",
          blob_col: "AQID",
        },
        { id: 2, customer: "Alan", amount: 7, big: 42, placed_at: null, day: "2024-05-02", blob_col: null },
      ],
    });
    expect(outputsOf(execution, "one")).toEqual({
      size: 1,
      row: { n: 3, total: 49.75, text: "it's :not_a_param" },
    });
    const stored = outputsOf(execution, "store");
    expect(stored.size).toBe(3);
    expect(Buffer.from(await storage.get(String(stored.uri))).toString("utf8")).toBe(
      '{id:1,customer:"Ada"}\n{id:2,customer:"Alan"}\n{id:3,customer:"Grace"}\n',
    );
  });

  it("Query runs afterSQL in the same transaction and fails clearly", async () => {
    const engine = engineOf();
    const ok = await run(
      engine,
      flow(`  - id: take
    type: io.kestra.plugin.jdbc.mysql.Query
${connection()}
    sql: select id from orders where not processed and id = :id
    parameters: { id: 3 }
    fetchType: FETCH_ONE
    afterSQL: update orders set processed = true where id = :id
  - id: bad
    type: io.kestra.plugin.jdbc.mysql.Query
${connection()}
    sql: select * from nowhere
    allowFailure: true
  - id: password
    type: io.kestra.plugin.jdbc.mysql.Query
    url: ${db.url}
    username: ${db.username}
    password: wrong
    sql: select 1
    allowFailure: true
`),
    );
    expect(outputsOf(ok, "take").row).toEqual({ id: 3 });
    const [rows] = await db.admin.query("select processed from orders where id = 3");
    expect((rows as { processed: number }[])[0]?.processed).toBe(1);
    expect(errorOf(ok, "bad")).toBe("Table 'shop.nowhere' doesn't exist");
    expect(errorOf(ok, "password")).toMatch(
      /^cannot connect to MySQL at 127\.0\.0\.1:\d+: Access denied for user 'cadenza'/,
    );
  });

  it("Queries runs statements in a transaction, one result per statement", async () => {
    const execution = await run(
      engineOf(),
      flow(`  - id: many
    type: io.kestra.plugin.jdbc.mysql.Queries
${connection()}
    sql: |
      insert into orders (id, customer) values (10, 'semi;colon'); -- a comment; here
      select customer from orders where id >= :min order by id;
    parameters: { min: 10 }
    fetchType: FETCH
`),
    );
    expect(outputsOf(execution, "many").outputs).toEqual([
      { rows: [], size: 0 },
      { rows: [{ customer: "semi;colon" }], size: 1 },
    ]);
  });

  it("refuses the loopback server under the default address policy", async () => {
    const execution = await run(
      engineOf({ allowPrivateNetworks: false }),
      flow(`  - id: internal
    type: io.kestra.plugin.jdbc.mysql.Query
${connection()}
    sql: select 1
`),
    );
    expect(errorOf(execution, "internal")).toBe(
      "connection to 127.0.0.1 refused: private and loopback addresses are blocked (CADENZA_HTTP_ALLOWED_NETWORKS allows ranges)",
    );
  });

  describe("Trigger on the embedded engine", () => {
    const h = setUpEmbeddedEngine({ httpPolicy: () => LOOPBACK });

    it("starts an execution with the rows once the query returns some", async () => {
      await h.startRuntime();
      await db.admin.query("create table jobs (id int primary key, name varchar(20))");
      await h.deploy(`id: on_my_jobs
namespace: poll.team
tasks:
  - { id: log, type: io.kestra.plugin.core.log.Log, message: "{{ trigger.size }} rows" }
triggers:
  - id: jobs
    type: io.kestra.plugin.jdbc.mysql.Trigger
${connection()}
    sql: select id, name from jobs order by id
    fetchType: FETCH
    interval: PT0.3S
    stopAfter: [SUCCESS]
`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await h.query("select id from executions where flow_id = 'on_my_jobs'")).toEqual([]);
      await db.admin.query("insert into jobs values (1, 'nightly')");
      const rows = await pollUntil(
        () =>
          h.query<{ id: string }>(
            "select id from executions where flow_id = 'on_my_jobs' and state = 'SUCCESS'",
          ),
        (found) => found.length > 0,
        20_000,
        100,
      );
      const execution = await h.client.get(TENANT, rows[0]?.id ?? "");
      expect(execution?.trigger).toMatchObject({
        id: "jobs",
        variables: { size: 1, rows: [{ id: 1, name: "nightly" }] },
      });
    }, 60_000);
  });
});
