// Serdes conversions on real files: the memory engine over a LocalStorage in a temporary directory, so
// every conversion streams from and to files on disk (storage.read / storage.write), as in production.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Execution } from "@/engine/executor";
import { parseCsv } from "@/plugins/serdes/csv-parse";
import { readLines } from "@/plugins/serdes/stream";
import { LocalStorage } from "@/worker/storage";
import { errorOf, newEngine, outputsOf, run } from "./helpers";

let dir: string;
let storage: LocalStorage;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cadenza-serdes-"));
  storage = new LocalStorage(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const engineOf = () => newEngine({ storage }).engine;
const read = async (uri: unknown) => Buffer.from(await storage.get(String(uri)));
const text = async (uri: unknown) => (await read(uri)).toString("utf8");

async function put(name: string, content: string | Buffer): Promise<string> {
  const uri = `kestra:///company/team/serdes/inputs/${name}`;
  await storage.put(uri, content);
  return uri;
}

const flow = (tasks: string) => `id: serdes
namespace: company.team
inputs:
  - id: file
    type: STRING
tasks:
${tasks}`;

async function convert(tasks: string, file: string): Promise<Execution> {
  return run(engineOf(), flow(tasks), { file });
}

const ORDERS_CSV = [
  "id,customer,note,amount",
  '1,Ada,"likes ""quotes""",12.5',
  '2,Bérénice,"two\nlines",7',
  "3,Grace,\\N,30",
  '4,"Smith, John",,0',
  "",
].join("\r\n");

describe("CsvToIon and IonToCsv", () => {
  it("convert a CSV file to ION rows of strings, and back to the same CSV", async () => {
    const file = await put("orders.csv", ORDERS_CSV);
    const execution = await convert(
      `  - id: to_ion
    type: io.kestra.plugin.serdes.csv.CsvToIon
    from: "{{ inputs.file }}"
  - id: to_csv
    type: io.kestra.plugin.serdes.csv.IonToCsv
    from: "{{ outputs.to_ion.uri }}"
    lineDelimiter: "\\r\\n"
`,
      file,
    );
    expect(execution.state.current).toBe("SUCCESS");
    const ion = outputsOf(execution, "to_ion");
    expect(ion.size).toBe(4);
    expect(String(ion.uri)).toMatch(
      /^kestra:\/\/\/company\/team\/serdes\/executions\/.+\/tasks\/to_ion\/.+\/orders\.ion$/,
    );
    expect(await text(ion.uri)).toBe(
      [
        '{id:"1",customer:"Ada",note:"likes \\"quotes\\"",amount:"12.5"}',
        '{id:"2",customer:"Bérénice",note:"two\\nlines",amount:"7"}',
        '{id:"3",customer:"Grace",amount:"30"}',
        '{id:"4",customer:"Smith, John",note:"",amount:"0"}',
        "",
      ].join("\n"),
    );
    const csv = outputsOf(execution, "to_csv");
    expect(csv.size).toBe(4);
    // Row 3's null note comes back as an empty field (CSV has no null but \N, which IonToCsv does not write).
    expect(await text(csv.uri)).toBe(ORDERS_CSV.replace("\\N", ""));
    const records = execution.taskRunList.find((r) => r.taskId === "to_ion")?.attempts[0]?.metrics;
    expect(records).toEqual([expect.objectContaining({ name: "records", type: "counter", value: 4 })]);
  });

  it("reads without a header (rows as lists), skips rows and empty lines, and reads ISO-8859-1", async () => {
    const file = await put("legacy.csv", Buffer.from("# export\n\nCafé;1\n\nThé;2\n", "latin1"));
    const execution = await convert(
      `  - id: to_ion
    type: io.kestra.plugin.serdes.csv.CsvToIon
    from: "{{ inputs.file }}"
    header: false
    fieldSeparator: ";"
    skipRows: 1
    skipEmptyRows: true
    charset: ISO-8859-1
`,
      file,
    );
    expect(await text(outputsOf(execution, "to_ion").uri)).toBe('["Café","1"]\n["Thé","2"]\n');
  });

  it("fails on a bad line by default, naming the line; WARN and SKIP skip it", async () => {
    const file = await put("bad.csv", 'a,b\n1,2\n3\n"4,5\n');
    const failed = await convert(
      `  - id: to_ion
    type: io.kestra.plugin.serdes.csv.CsvToIon
    from: "{{ inputs.file }}"
`,
      file,
    );
    expect(failed.state.current).toBe("FAILED");
    expect(errorOf(failed, "to_ion")).toBe("line 3: field count mismatch: expected 2, got 1 fields");
    const engine = engineOf();
    const warned = await run(
      engine,
      flow(`  - id: to_ion
    type: io.kestra.plugin.serdes.csv.CsvToIon
    from: "{{ inputs.file }}"
    onBadLines: WARN
`),
      { file },
    );
    expect(await text(outputsOf(warned, "to_ion").uri)).toBe('{a:"1",b:"2"}\n');
    expect(engine.logs.filter((l) => l.level === "WARN").map((l) => l.message)).toEqual([
      "Bad line encountered (skipped): line 3: field count mismatch: expected 2, got 1 fields",
      "Bad line encountered (skipped): line 4: a quoted field opened on line 4 is not closed",
    ]);
  });

  it("drops trailing unnamed columns, or renames them with onEmptyHeader: RENAME", async () => {
    const file = await put("trailing.csv", "a,,b,\n1,2,3,4\n");
    const execution = await convert(
      `  - id: dropped
    type: io.kestra.plugin.serdes.csv.CsvToIon
    from: "{{ inputs.file }}"
  - id: renamed
    type: io.kestra.plugin.serdes.csv.CsvToIon
    from: "{{ inputs.file }}"
    onEmptyHeader: RENAME
`,
      file,
    );
    expect(await text(outputsOf(execution, "dropped").uri)).toBe('{a:"1",\'\':"2",b:"3"}\n');
    expect(await text(outputsOf(execution, "renamed").uri)).toBe('{a:"1",col_1:"2",b:"3",col_3:"4"}\n');
  });

  it("IonToCsv quotes as asked, writes the header from the first row and fails on lists with a header", async () => {
    const file = await put(
      "rows.ion",
      '{name:"Ada",age:36,tags:["x"]}\n{age:28,name:"Alan; T"}\n{name:null}\n',
    );
    const execution = await convert(
      `  - id: required
    type: io.kestra.plugin.serdes.csv.IonToCsv
    from: "{{ inputs.file }}"
    fieldSeparator: ";"
  - id: non_numeric
    type: io.kestra.plugin.serdes.csv.IonToCsv
    from: "{{ inputs.file }}"
    quoteMode: NON_NUMERIC
    header: false
`,
      file,
    );
    expect(await text(outputsOf(execution, "required").uri)).toBe(
      'name;age;tags\nAda;36;"[""x""]"\n"Alan; T";28;\n;;\n',
    );
    expect(await text(outputsOf(execution, "non_numeric").uri)).toBe(
      '"Ada",36,"[""x""]"\n"Alan; T",28,\n,,\n',
    );
    const lists = await put("lists.ion", "[1,2]\n");
    const failed = await convert(
      `  - id: lists
    type: io.kestra.plugin.serdes.csv.IonToCsv
    from: "{{ inputs.file }}"
`,
      lists,
    );
    expect(errorOf(failed, "lists")).toBe("Invalid data of type List with header: set header to false");
  });
});

describe("JsonToIon and IonToJson", () => {
  it("round-trip JSON lines through ION", async () => {
    const source =
      '{"id":1,"price":12.5,"tags":["a","b"],"ok":true,"none":null,"n":{"x":"y"}}\n\n{"id":2,"price":-3}\n';
    const file = await put("products.jsonl", source);
    const execution = await convert(
      `  - id: to_ion
    type: io.kestra.plugin.serdes.json.JsonToIon
    from: "{{ inputs.file }}"
  - id: to_json
    type: io.kestra.plugin.serdes.json.IonToJson
    from: "{{ outputs.to_ion.uri }}"
`,
      file,
    );
    expect(await text(outputsOf(execution, "to_ion").uri)).toBe(
      '{id:1,price:1.25e1,tags:["a","b"],ok:true,n:{x:"y"}}\n{id:2,price:-3}\n',
    );
    expect(outputsOf(execution, "to_ion").size).toBe(2);
    expect(String(outputsOf(execution, "to_json").uri)).toMatch(/products\.jsonl$/);
    expect(await text(outputsOf(execution, "to_json").uri)).toBe(
      '{"id":1,"price":12.5,"tags":["a","b"],"ok":true,"n":{"x":"y"}}\n{"id":2,"price":-3}\n',
    );
  });

  it("newLine: false reads one JSON value and writes an array (or the single row)", async () => {
    const file = await put("array.json", '[{"a":1},{"a":2}]');
    const single = await put("single.json", '{"a":1}');
    const execution = await convert(
      `  - id: to_ion
    type: io.kestra.plugin.serdes.json.JsonToIon
    from: "{{ inputs.file }}"
    newLine: false
  - id: to_json
    type: io.kestra.plugin.serdes.json.IonToJson
    from: "{{ outputs.to_ion.uri }}"
    newLine: false
`,
      file,
    );
    expect(await text(outputsOf(execution, "to_ion").uri)).toBe("{a:1}\n{a:2}\n");
    expect(await text(outputsOf(execution, "to_json").uri)).toBe('[{"a":1},{"a":2}]');
    const one = await convert(
      `  - id: to_ion
    type: io.kestra.plugin.serdes.json.JsonToIon
    from: "{{ inputs.file }}"
    newLine: false
  - id: to_json
    type: io.kestra.plugin.serdes.json.IonToJson
    from: "{{ outputs.to_ion.uri }}"
    newLine: false
`,
      single,
    );
    expect(await text(outputsOf(one, "to_json").uri)).toBe('{"a":1}');
  });

  it("names the line that is not JSON, and refuses a source that is not in the internal storage", async () => {
    const file = await put("broken.jsonl", '{"a":1}\n{"a":\n');
    const execution = await convert(
      `  - id: to_ion
    type: io.kestra.plugin.serdes.json.JsonToIon
    from: "{{ inputs.file }}"
`,
      file,
    );
    expect(errorOf(execution, "to_ion")).toMatch(
      /^line 2 of kestra:\/\/\/.+\/broken\.jsonl is not valid JSON: /,
    );
    const outside = await convert(
      `  - id: to_ion
    type: io.kestra.plugin.serdes.json.JsonToIon
    from: "{{ inputs.file }}"
`,
      "file:///etc/passwd",
    );
    expect(errorOf(outside, "to_ion")).toBe(
      "from must be a kestra:// internal storage URI, got 'file:///etc/passwd'",
    );
  });
});

describe("streaming", () => {
  it("converts a file of many chunks row for row, and leaves no partial file behind", async () => {
    const rows = 50_000;
    const lines = ["id,name,comment"];
    for (let i = 0; i < rows; i++) lines.push(`${i},name ${i},"a, ""quoted"" comment\nover two lines"`);
    const file = await put("big.csv", `${lines.join("\n")}\n`);
    const chunks: number[] = [];
    for await (const chunk of storage.read(file)) chunks.push(chunk.byteLength);
    expect(chunks.length).toBeGreaterThan(5);
    const execution = await convert(
      `  - id: to_ion
    type: io.kestra.plugin.serdes.csv.CsvToIon
    from: "{{ inputs.file }}"
  - id: to_csv
    type: io.kestra.plugin.serdes.csv.IonToCsv
    from: "{{ outputs.to_ion.uri }}"
`,
      file,
    );
    expect(outputsOf(execution, "to_ion").size).toBe(rows);
    expect(await text(outputsOf(execution, "to_csv").uri)).toBe(`${lines.join("\n")}\n`);
    const ion = (await text(outputsOf(execution, "to_ion").uri)).split("\n");
    expect(ion[rows - 1]).toBe(
      `{id:"${rows - 1}",name:"name ${rows - 1}",comment:"a, \\"quoted\\" comment\\nover two lines"}`,
    );
    const leftovers: string[] = [];
    const walk = async (at: string) => {
      for (const entry of await readdir(at, { withFileTypes: true })) {
        if (entry.isDirectory()) await walk(join(at, entry.name));
        else if (entry.name.startsWith(".cadenza-part-")) leftovers.push(entry.name);
      }
    };
    await walk(dir);
    expect(leftovers).toEqual([]);
  });

  it("parses the same records whatever the chunk boundaries", async () => {
    const source = 'a,"b\r\n""c""",d\r\ne,,\r\n\r\n"x"\r"y",z\n';
    const whole = (await collect(parseCsv(once(source), options))).flat();
    expect(whole).toEqual([
      { fields: ["a", 'b\r\n"c"', "d"], line: 1 },
      { fields: ["e", "", ""], line: 3 },
      { fields: [""], line: 4 },
      { fields: ["x"], line: 5 },
      { fields: ["y", "z"], line: 6 },
    ]);
    for (let size = 1; size <= 5; size++)
      expect((await collect(parseCsv(pieces(source, size), options))).flat(), `chunks of ${size}`).toEqual(
        whole,
      );
    const lines = (await collect(readLines(pieces("a\r\nb\rc\n\nd", 1)))).flat();
    expect(lines).toEqual(["a", "b", "c", "", "d"]);
  });
});

const options = {
  separator: ",",
  quote: '"',
  skipEmptyLines: false,
  allowExtraCharsAfterClosingQuote: false,
  maxFieldSize: 1000,
};
async function* once(text: string) {
  yield text;
}
async function* pieces(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}
async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
