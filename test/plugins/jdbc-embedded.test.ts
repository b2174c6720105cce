// DuckDB and SQLite tasks against the real databases (DuckDB's native library, SQLite in WebAssembly),
// on the memory engine over a LocalStorage in a temporary directory: input files, output files and
// database files pass through real files, and neither database may reach a path outside its run.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseIonRows } from "@/engine/expr";
import { LocalStorage } from "@/worker/storage";
import { errorOf, newEngine, outputsOf, run } from "./helpers";

let dir: string;
let storage: LocalStorage;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cadenza-jdbc-embedded-"));
  storage = new LocalStorage(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const text = async (uri: unknown) => Buffer.from(await storage.get(String(uri))).toString("utf8");

async function put(name: string, content: string): Promise<string> {
  const uri = `kestra:///company/team/embedded/inputs/${name}`;
  await storage.put(uri, content);
  return uri;
}

const flow = (tasks: string) => `id: embedded
namespace: company.team
inputs:
  - id: file
    type: STRING
tasks:
${tasks}`;

const go = (tasks: string, file = "") => run(newEngine({ storage }).engine, flow(tasks), { file });

const ORDERS = "id,customer,amount,day\n1,Ada,12.5,2024-05-01\n2,Grace,7,2024-05-02\n3,Ada,30,2024-05-02\n";

describe("io.kestra.plugin.jdbc.duckdb", () => {
  it("reads an input file, binds parameters, writes an output file, and keeps its database for the next task", async () => {
    const file = await put("orders.csv", ORDERS);
    const execution = await go(
      `  - id: load
    type: io.kestra.plugin.jdbc.duckdb.Queries
    url: "jdbc:duckdb:shop.duckdb"
    inputFiles:
      orders.csv: "{{ inputs.file }}"
    outputFiles: [by_customer]
    outputDbFile: true
    sql: |
      create table orders as select * from read_csv_auto('{{ workingDir }}/orders.csv', header = true);
      copy (select customer, sum(amount) as total from orders group by customer order by customer) to '{{ outputFiles.by_customer }}' (header, delimiter ',');
      select count(*) as n, max(day) as last_day from orders;
    fetchType: FETCH_ONE
  - id: query
    type: io.kestra.plugin.jdbc.duckdb.Query
    databaseUri: "{{ outputs.load.databaseUri }}"
    sql: select id, customer, amount, day, timestamp '2024-05-01 10:00:00' as at, 12345678901234567::bigint as big from orders where customer = :who order by id
    parameters:
      who: Ada
    fetchType: FETCH
  - id: store
    type: io.kestra.plugin.jdbc.duckdb.Query
    databaseUri: "{{ outputs.load.databaseUri }}"
    sql: select id, customer from orders order by id
    fetchType: STORE
`,
      file,
    );
    expect(execution.state.current, errorOf(execution, "load") ?? errorOf(execution, "query")).toBe(
      "SUCCESS",
    );
    const load = outputsOf(execution, "load") as {
      outputs: { row: unknown }[];
      outputFiles: Record<string, string>;
      databaseUri: string;
    };
    expect(load.outputs.at(-1)?.row).toEqual({ n: 3, last_day: "2024-05-02" });
    expect(await text(load.outputFiles.by_customer)).toBe("customer,total\nAda,42.5\nGrace,7.0\n");
    expect(load.databaseUri).toMatch(/shop\.duckdb$/);
    expect(outputsOf(execution, "query").rows).toEqual([
      {
        id: 1,
        customer: "Ada",
        amount: 12.5,
        day: "2024-05-01",
        at: "2024-05-01T10:00:00",
        big: "12345678901234567",
      },
      {
        id: 3,
        customer: "Ada",
        amount: 30,
        day: "2024-05-02",
        at: "2024-05-01T10:00:00",
        big: "12345678901234567",
      },
    ]);
    const store = outputsOf(execution, "store");
    expect(store.size).toBe(3);
    expect(parseIonRows(await text(store.uri))).toEqual([
      { id: 1, customer: "Ada" },
      { id: 2, customer: "Grace" },
      { id: 3, customer: "Ada" },
    ]);
  });

  it("refuses every path outside the run's working directory, and cannot lift the restriction", async () => {
    for (const sql of [
      "select * from read_text('/etc/passwd')",
      `copy (select 1) to '${join(dir, "escaped.csv")}'`,
      `attach '${join(dir, "other.duckdb")}'`,
      "set enable_external_access = true",
      "install httpfs",
      "select * from read_csv_auto('package.json')",
    ]) {
      const execution = await go(`  - id: evil
    type: io.kestra.plugin.jdbc.duckdb.Query
    sql: "${sql.replace(/"/g, '\\"')}"
`);
      expect(errorOf(execution, "evil"), sql).toMatch(
        /disabled by configuration|configuration has been locked/,
      );
      if (sql.includes("package.json"))
        expect(errorOf(execution, "evil")).toMatch(/write '\{\{ workingDir \}\}\/package\.json'/);
    }
    const bad = await go(`  - id: bad
    type: io.kestra.plugin.jdbc.duckdb.Query
    inputFiles:
      ../up.csv: "x"
    sql: select 1
`);
    expect(errorOf(bad, "bad")).toMatch(
      /inputFiles: '\.\.\/up\.csv' must be a relative path inside the working directory/,
    );
    const missing = await go(`  - id: missing
    type: io.kestra.plugin.jdbc.duckdb.Query
    outputFiles: [out]
    sql: select 1
`);
    expect(errorOf(missing, "missing")).toMatch(/outputFiles: the SQL did not write 'out'/);
  });
});

describe("io.kestra.plugin.jdbc.sqlite", () => {
  it("creates a database file, passes it to the next task, reads it with parameters, and rolls back a failed script", async () => {
    const execution = await go(`  - id: init
    type: io.kestra.plugin.jdbc.sqlite.Queries
    url: jdbc:sqlite:myfile.db
    outputDbFile: true
    sql: |
      create table items (id integer primary key, name text, price real, big integer, data blob);
      insert into items (name, price, big, data) values ('kettle', 19.5, 9007199254740993, x'6869'), ('toaster', 30, 1, null);
  - id: read
    type: io.kestra.plugin.jdbc.sqlite.Query
    url: jdbc:sqlite:myfile.db
    sqliteFile: "{{ outputs.init.databaseUri }}"
    sql: select id, name, price, big, data from items where price > :min order by id
    parameters:
      min: 10
    fetchType: FETCH
  - id: failing
    type: io.kestra.plugin.jdbc.sqlite.Queries
    sqliteFile: "{{ outputs.init.databaseUri }}"
    outputDbFile: true
    allowFailure: true
    sql: |
      insert into items (name) values ('lamp');
      insert into nowhere values (1);
  - id: escape
    type: io.kestra.plugin.jdbc.sqlite.Queries
    allowFailure: true
    sql: |
      attach database '${join(dir, "escaped.db")}' as other;
      create table other.t (a);
`);
    expect(errorOf(execution, "init")).toBeUndefined();
    expect(outputsOf(execution, "init").databaseUri).toMatch(/myfile\.db$/);
    expect(outputsOf(execution, "read").rows).toEqual([
      { id: 1, name: "kettle", price: 19.5, big: "9007199254740993", data: "aGk=" },
      { id: 2, name: "toaster", price: 30, big: 1, data: null },
    ]);
    expect(errorOf(execution, "failing")).toMatch(/no such table: nowhere/);
    // sql.js has no file system of its own: a path of the machine does not exist for it.
    expect(errorOf(execution, "escape")).toMatch(/unable to open database/);
    await expect(import("node:fs/promises").then((fs) => fs.stat(join(dir, "escaped.db")))).rejects.toThrow();
  });

  it("says when a file is not a SQLite database", async () => {
    const file = await put("not.db", "hello, this is not sqlite at all, not even close to a header");
    const execution = await go(
      `  - id: read
    type: io.kestra.plugin.jdbc.sqlite.Query
    sqliteFile: "{{ inputs.file }}"
    sql: select 1 as one
    fetchType: FETCH_ONE
`,
      file,
    );
    expect(errorOf(execution, "read")).toMatch(/not a SQLite database/);
  });
});

describe("core.storage.Write", () => {
  it("writes its content to a file of the task run, with the extension given", async () => {
    const execution = await go(`  - id: write
    type: io.kestra.plugin.core.storage.Write
    content: "id,name\\n1,{{ flow.id }}\\n"
    extension: csv
`);
    const uri = String(outputsOf(execution, "write").uri);
    expect(uri).toMatch(/\/tasks\/write\/.+\/write\.csv$/);
    expect(await text(uri)).toBe("id,name\n1,embedded\n");
  });
});
