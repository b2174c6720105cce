// Excel, Avro and Parquet conversions on real files: the memory engine over a LocalStorage in a temporary
// directory. Parquet is checked against an independent implementation, DuckDB: it reads the files
// IonToParquet writes, and writes files ParquetToIon reads.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseIonRows } from "@/engine/expr";
import { LocalStorage } from "@/worker/storage";
import { errorOf, newEngine, outputsOf, run } from "./helpers";

let dir: string;
let storage: LocalStorage;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cadenza-serdes-formats-"));
  storage = new LocalStorage(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const text = async (uri: unknown) => Buffer.from(await storage.get(String(uri))).toString("utf8");
const rows = async (uri: unknown) => parseIonRows(await text(uri));
const pathOf = (uri: unknown) => join(dir, String(uri).replace(/^kestra:\/\/\//, ""));

async function put(name: string, content: string | Buffer): Promise<string> {
  const uri = `kestra:///company/team/formats/inputs/${name}`;
  await storage.put(uri, content);
  return uri;
}

const flow = (tasks: string) => `id: formats
namespace: company.team
inputs:
  - id: file
    type: STRING
tasks:
${tasks}`;

const convert = (tasks: string, file: string) => run(newEngine({ storage }).engine, flow(tasks), { file });

async function duck<T>(sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as T[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const ORDERS = [
  "id,customer,amount,paid,day,at",
  "1,Ada,12.5,yes,2024-05-01,2024-05-01T10:00:00Z",
  "2,Bérénice,7,no,2024-05-02,2024-05-02T11:30:00Z",
  "3,Grace,,true,2024-05-03,2024-05-03T00:00:00Z",
  "",
].join("\n");

const ORDER_SCHEMA = JSON.stringify({
  type: "record",
  name: "Order",
  fields: [
    { name: "id", type: "long" },
    { name: "customer", type: "string" },
    { name: "amount", type: ["null", "double"] },
    { name: "paid", type: "boolean" },
    { name: "day", type: { type: "int", logicalType: "date" } },
    { name: "at", type: { type: "long", logicalType: "timestamp-millis" } },
  ],
});

describe("IonToParquet and ParquetToIon", () => {
  it("type a CSV's strings by the schema; DuckDB reads the Parquet file; it reads back as the same rows", async () => {
    const file = await put("orders.csv", ORDERS);
    for (const codec of ["SNAPPY", "GZIP", "UNCOMPRESSED"]) {
      const execution = await convert(
        `  - id: to_ion
    type: io.kestra.plugin.serdes.csv.CsvToIon
    from: "{{ inputs.file }}"
  - id: to_parquet
    type: io.kestra.plugin.serdes.parquet.IonToParquet
    from: "{{ outputs.to_ion.uri }}"
    compressionCodec: ${codec}
    schema: '${ORDER_SCHEMA}'
  - id: back
    type: io.kestra.plugin.serdes.parquet.ParquetToIon
    from: "{{ outputs.to_parquet.uri }}"
`,
        file,
      );
      expect(execution.state.current, errorOf(execution, "to_parquet")).toBe("SUCCESS");
      const parquet = outputsOf(execution, "to_parquet");
      expect(parquet.size).toBe(3);
      expect(String(parquet.uri)).toMatch(/\/orders\.parquet$/);
      const seen = await duck<Record<string, unknown>>(
        `select id, customer, amount, paid, day::varchar as day, epoch_ms("at") as at, typeof(id) as t_id, typeof(day) as t_day, typeof("at") as t_at from read_parquet('${pathOf(parquet.uri)}') order by id`,
      );
      expect(seen).toEqual([
        {
          id: "1",
          customer: "Ada",
          amount: 12.5,
          paid: true,
          day: "2024-05-01",
          at: "1714557600000",
          t_id: "BIGINT",
          t_day: "DATE",
          t_at: "TIMESTAMP",
        },
        {
          id: "2",
          customer: "Bérénice",
          amount: 7,
          paid: false,
          day: "2024-05-02",
          at: "1714649400000",
          t_id: "BIGINT",
          t_day: "DATE",
          t_at: "TIMESTAMP",
        },
        {
          id: "3",
          customer: "Grace",
          amount: null,
          paid: true,
          day: "2024-05-03",
          at: "1714694400000",
          t_id: "BIGINT",
          t_day: "DATE",
          t_at: "TIMESTAMP",
        },
      ]);
      expect(outputsOf(execution, "back").size).toBe(3);
      expect(await text(outputsOf(execution, "back").uri)).toBe(
        [
          '{id:1,customer:"Ada",amount:1.25e1,paid:true,day:"2024-05-01",at:2024-05-01T10:00:00Z}',
          '{id:2,customer:"Bérénice",amount:7,paid:false,day:"2024-05-02",at:2024-05-02T11:30:00Z}',
          '{id:3,customer:"Grace",paid:true,day:"2024-05-03",at:2024-05-03T00:00:00Z}',
          "",
        ].join("\n"),
      );
    }
  });

  it("reads a Parquet file DuckDB wrote, over several row groups, with 64-bit integers and dates", async () => {
    const uri = "kestra:///company/team/formats/inputs/duck.parquet";
    await storage.put(uri, "");
    // GZIP: ZSTD needs Node 22.15's zlib.
    await duck(
      `copy (select i as id, i * 10000000000 as big, 'n' || i as name, date '2024-01-01' + i::int as day from range(0, 2500) t(i)) to '${pathOf(uri)}' (format parquet, row_group_size 1000, compression gzip)`,
    );
    const execution = await convert(
      `  - id: back
    type: io.kestra.plugin.serdes.parquet.ParquetToIon
    from: "{{ inputs.file }}"
`,
      uri,
    );
    expect(execution.state.current, errorOf(execution, "back")).toBe("SUCCESS");
    const out = await rows(outputsOf(execution, "back").uri);
    expect(out).toHaveLength(2500);
    expect(out[2499]).toEqual({ id: 2499, big: 24990000000000, name: "n2499", day: "2030-11-04" });
  });

  it("infers a schema when none is given, and fails clearly on a file that is not Parquet", async () => {
    const file = await put("mixed.ion", '{a:1,b:"x",c:1.5e0,d:[1,2]}\n{a:2,c:2,e:true}\n');
    const execution = await convert(
      `  - id: to_parquet
    type: io.kestra.plugin.serdes.parquet.IonToParquet
    from: "{{ inputs.file }}"
  - id: back
    type: io.kestra.plugin.serdes.parquet.ParquetToIon
    from: "{{ outputs.to_parquet.uri }}"
`,
      file,
    );
    expect(execution.state.current, errorOf(execution, "to_parquet")).toBe("SUCCESS");
    expect(await rows(outputsOf(execution, "back").uri)).toEqual([
      { a: 1, b: "x", c: 1.5, d: [1, 2] },
      { a: 2, c: 2, e: true },
    ]);
    const bad = await convert(
      `  - id: back
    type: io.kestra.plugin.serdes.parquet.ParquetToIon
    from: "{{ inputs.file }}"
`,
      file,
    );
    expect(errorOf(bad, "back")).toMatch(/mixed\.ion is not a Parquet file/);
  });
});

describe("IonToAvro and AvroToIon", () => {
  it("write typed records and read them back; a row that does not fit fails, or is skipped with WARN", async () => {
    const file = await put("orders-avro.csv", `${ORDERS}4,Linus,abc,no,2024-05-04,2024-05-04T00:00:00Z\n`);
    const tasks = (onBadLines: string) => `  - id: to_ion
    type: io.kestra.plugin.serdes.csv.CsvToIon
    from: "{{ inputs.file }}"
  - id: to_avro
    type: io.kestra.plugin.serdes.avro.IonToAvro
    from: "{{ outputs.to_ion.uri }}"
    onBadLines: ${onBadLines}
    schema: '${ORDER_SCHEMA}'
  - id: back
    type: io.kestra.plugin.serdes.avro.AvroToIon
    from: "{{ outputs.to_avro.uri }}"
`;
    const failed = await convert(tasks("ERROR"), file);
    expect(errorOf(failed, "to_avro")).toMatch(/row 4: field 'amount': 'abc' is not a number/);
    const execution = await convert(tasks("WARN"), file);
    expect(execution.state.current, errorOf(execution, "to_avro")).toBe("SUCCESS");
    expect(outputsOf(execution, "to_avro").size).toBe(3);
    const avro = Buffer.from(await storage.get(String(outputsOf(execution, "to_avro").uri)));
    expect(avro.subarray(0, 4).toString("latin1")).toBe("Obj\x01");
    expect(await text(outputsOf(execution, "back").uri)).toBe(
      [
        '{id:1,customer:"Ada",amount:1.25e1,paid:true,day:"2024-05-01",at:2024-05-01T10:00:00Z}',
        '{id:2,customer:"Bérénice",amount:7,paid:false,day:"2024-05-02",at:2024-05-02T11:30:00Z}',
        '{id:3,customer:"Grace",paid:true,day:"2024-05-03",at:2024-05-03T00:00:00Z}',
        "",
      ].join("\n"),
    );
  });

  it("refuses an invalid schema and a file that is not Avro", async () => {
    const file = await put("one.ion", "{a:1}\n");
    const execution = await convert(
      `  - id: to_avro
    type: io.kestra.plugin.serdes.avro.IonToAvro
    from: "{{ inputs.file }}"
    schema: '{"type": "record", "name": "R", "fields": [{"name": "a", "type": "integer"}]}'
`,
      file,
    );
    expect(errorOf(execution, "to_avro")).toMatch(/schema is not a valid Avro schema/);
    const notAvro = await convert(
      `  - id: back
    type: io.kestra.plugin.serdes.avro.AvroToIon
    from: "{{ inputs.file }}"
`,
      file,
    );
    expect(errorOf(notAvro, "back")).toMatch(/one\.ion is not a readable Avro file/);
  });
});

describe("IonToExcel and ExcelToIon", () => {
  it("write two sheets and read them back, by sheet title, with dates, numbers and a header", async () => {
    const orders = await put(
      "orders.ion",
      '{id:1,name:"Ada",at:2024-05-01T10:00:00Z,ok:true}\n{id:2.5e0,name:"Grace"}\n',
    );
    const people = await put("people.ion", '{who:"Linus",age:54}\n');
    const execution = await convert(
      `  - id: workbook
    type: io.kestra.plugin.serdes.excel.IonToExcel
    from:
      Orders: "{{ inputs.file }}"
      People: ${people}
  - id: all
    type: io.kestra.plugin.serdes.excel.ExcelToIon
    from: "{{ outputs.workbook.uri }}"
  - id: people
    type: io.kestra.plugin.serdes.excel.ExcelToIon
    from: "{{ outputs.workbook.uri }}"
    sheetsTitle: [People]
    header: false
  - id: serial
    type: io.kestra.plugin.serdes.excel.ExcelToIon
    from: "{{ outputs.workbook.uri }}"
    sheetsTitle: [Orders]
    dateTimeRender: SERIAL_NUMBER
`,
      orders,
    );
    expect(execution.state.current, errorOf(execution, "workbook") ?? errorOf(execution, "all")).toBe(
      "SUCCESS",
    );
    expect(outputsOf(execution, "workbook").size).toBe(3);
    const all = outputsOf(execution, "all") as { uris: Record<string, string>; size: number };
    expect(Object.keys(all.uris)).toEqual(["Orders", "People"]);
    expect(all.size).toBe(3);
    expect(await rows(all.uris.Orders)).toEqual([
      { id: 1, name: "Ada", at: "2024-05-01", ok: true },
      { id: 2.5, name: "Grace" },
    ]);
    const peopleOnly = outputsOf(execution, "people") as { uris: Record<string, string> };
    expect(await rows(peopleOnly.uris.People)).toEqual([
      ["who", "age"],
      ["Linus", 54],
    ]);
    const serial = outputsOf(execution, "serial") as { uris: Record<string, string> };
    expect((await rows(serial.uris.Orders))[0]).toMatchObject({ at: 45413 + 10 / 24 });
  });

  it("names a missing sheet and refuses a file that is not a workbook", async () => {
    const file = await put("x.ion", "{a:1}\n");
    const workbook = await convert(
      `  - id: workbook
    type: io.kestra.plugin.serdes.excel.IonToExcel
    from: "{{ inputs.file }}"
  - id: read
    type: io.kestra.plugin.serdes.excel.ExcelToIon
    from: "{{ outputs.workbook.uri }}"
    sheetsTitle: [Nope]
`,
      file,
    );
    expect(errorOf(workbook, "read")).toMatch(/the workbook has no sheet 'Nope'/);
    const bad = await convert(
      `  - id: read
    type: io.kestra.plugin.serdes.excel.ExcelToIon
    from: "{{ inputs.file }}"
`,
      file,
    );
    expect(errorOf(bad, "read")).toMatch(/x\.ion is not a readable xlsx workbook/);
  });
});
