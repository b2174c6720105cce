import { describe, expect, it } from "vitest";
import { loadFlow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import { parseIonValue, splitRows } from "@/plugins/core/storage";
import { errorOf, newEngine, outputsOf, run, text } from "./helpers";

const NS = "kestra:///company/team/uploads";

describe("core.storage tasks on the memory engine", () => {
  it("concatenates files, with a separator after each and the given extension", async () => {
    const { engine } = newEngine();
    await engine.storage.put(`${NS}/a.txt`, "Hello John");
    await engine.storage.put(`${NS}/b.txt`, "Hello Jane");
    const execution = await run(
      engine,
      `id: concat
namespace: company.team
inputs:
  - id: first
    type: FILE
  - id: second
    type: FILE
tasks:
  - id: plain
    type: io.kestra.plugin.core.storage.Concat
    files:
      - "{{ inputs.first }}"
      - "{{ inputs.second }}"
  - id: separated
    type: io.kestra.core.tasks.storages.Concat
    files: '["{{ inputs.first }}", "{{ inputs.second }}"]'
    separator: "\\n"
    extension: csv
`,
      { first: `${NS}/a.txt`, second: `${NS}/b.txt` },
    );
    expect(execution.state.current).toBe("SUCCESS");
    const plain = outputsOf(execution, "plain").uri as string;
    expect(plain).toMatch(
      /^kestra:\/\/\/company\/team\/concat\/executions\/[^/]+\/tasks\/plain\/[^/]+\/plain\.tmp$/,
    );
    expect(await text(engine, plain)).toBe("Hello JohnHello Jane");
    const separated = outputsOf(execution, "separated").uri as string;
    expect(separated).toMatch(/\/separated\.csv$/);
    expect(await text(engine, separated)).toBe("Hello John\nHello Jane\n");
  });

  it("concatenates the list produced by another task (typed rendering)", async () => {
    const { engine } = newEngine();
    await engine.storage.put(`${NS}/rows.txt`, "1\n2\n3\n4\n5\n");
    const execution = await run(
      engine,
      `id: split_concat
namespace: company.team
inputs:
  - id: file
    type: FILE
tasks:
  - id: split
    type: io.kestra.plugin.core.storage.Split
    from: "{{ inputs.file }}"
    rows: 2
  - id: concat
    type: io.kestra.plugin.core.storage.Concat
    files: "{{ outputs.split.uris }}"
    extension: .txt
`,
      { file: `${NS}/rows.txt` },
    );
    expect(execution.state.current).toBe("SUCCESS");
    const uris = outputsOf(execution, "split").uris as string[];
    expect(uris).toHaveLength(3);
    expect(uris[0]).toMatch(/\/split-1\.txt$/);
    expect(await Promise.all(uris.map((uri) => text(engine, uri)))).toEqual(["1\n2\n", "3\n4\n", "5\n"]);
    expect(await text(engine, outputsOf(execution, "concat").uri)).toBe("1\n2\n3\n4\n5\n");
  });

  it("fails Concat on a missing file and on a URI that is not internal storage", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: concat_missing
namespace: company.team
tasks:
  - id: missing
    type: io.kestra.plugin.core.storage.Concat
    files: ["kestra:///company/team/nothing.txt"]
    allowFailure: true
  - id: outside
    type: io.kestra.plugin.core.storage.Concat
    files: ["file:///etc/passwd"]
    allowFailure: true
  - id: not_a_list
    type: io.kestra.plugin.core.storage.Concat
    files: "not json"
    allowFailure: true
`,
    );
    expect(execution.state.current).toBe("WARNING");
    expect(errorOf(execution, "missing")).toBe(
      "file not found in internal storage: kestra:///company/team/nothing.txt",
    );
    expect(errorOf(execution, "outside")).toBe(
      "files[0] must be a kestra:// internal storage URI, got 'file:///etc/passwd'",
    );
    expect(errorOf(execution, "not_a_list")).toBe(
      "files must be a list of kestra:// URIs or a JSON string of such a list",
    );
  });

  it("gives the size of a file in bytes", async () => {
    const { engine } = newEngine();
    await engine.storage.put(`${NS}/utf8.txt`, "héllo\n");
    const execution = await run(
      engine,
      `id: size
namespace: company.team
inputs:
  - id: file
    type: FILE
tasks:
  - id: size
    type: io.kestra.plugin.core.storage.Size
    uri: "{{ inputs.file }}"
  - id: missing
    type: io.kestra.core.tasks.storages.Size
    uri: "{{ inputs.file }}.nope"
`,
      { file: `${NS}/utf8.txt` },
    );
    expect(outputsOf(execution, "size")).toEqual({ size: 7 });
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "missing")).toBe(`file not found in internal storage: ${NS}/utf8.txt.nope`);
  });

  it("deletes a file, and reports a missing one", async () => {
    const { engine } = newEngine();
    await engine.storage.put(`${NS}/gone.txt`, "x");
    const execution = await run(
      engine,
      `id: delete
namespace: company.team
inputs:
  - id: file
    type: FILE
tasks:
  - id: delete
    type: io.kestra.plugin.core.storage.Delete
    uri: "{{ inputs.file }}"
  - id: again
    type: io.kestra.plugin.core.storage.Delete
    uri: "{{ inputs.file }}"
  - id: strict
    type: io.kestra.plugin.core.storage.Delete
    uri: "{{ inputs.file }}"
    errorOnMissing: true
`,
      { file: `${NS}/gone.txt` },
    );
    expect(outputsOf(execution, "delete")).toEqual({ uri: `${NS}/gone.txt`, deleted: true });
    expect(outputsOf(execution, "again")).toEqual({ uri: `${NS}/gone.txt`, deleted: false });
    expect(await engine.storage.exists(`${NS}/gone.txt`)).toBe(false);
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "strict")).toBe(`unable to find file '${NS}/gone.txt'`);
  });

  it("splits by bytes, partitions and regex, keeping the extension", async () => {
    const { engine } = newEngine();
    await engine.storage.put(`${NS}/log.csv`, "[a] 1\r\n[b] 2\n[a] 3\nnoise\n[c] 4");
    const execution = await run(
      engine,
      `id: split_modes
namespace: company.team
inputs:
  - id: file
    type: FILE
tasks:
  - id: bytes
    type: io.kestra.plugin.core.storage.Split
    from: "{{ inputs.file }}"
    bytes: "12"
  - id: partitions
    type: io.kestra.plugin.core.storage.Split
    from: "{{ inputs.file }}"
    partitions: 2
    separator: ";"
  - id: regex
    type: io.kestra.plugin.core.storage.Split
    from: "{{ inputs.file }}"
    regexPattern: "^\\\\[(\\\\w+)\\\\]"
`,
      { file: `${NS}/log.csv` },
    );
    expect(execution.state.current).toBe("SUCCESS");
    const contents = async (taskId: string) =>
      Promise.all((outputsOf(execution, taskId).uris as string[]).map((uri) => text(engine, uri)));
    expect(await contents("bytes")).toEqual(["[a] 1\n[b] 2\n", "[a] 3\nnoise\n", "[c] 4\n"]);
    expect(await contents("partitions")).toEqual(["[a] 1;[a] 3;[c] 4;", "[b] 2;noise;"]);
    expect(await contents("regex")).toEqual(["[a] 1\n[a] 3\n", "[b] 2\n", "[c] 4\n"]);
    expect((outputsOf(execution, "regex").uris as string[]).every((uri) => uri.endsWith(".csv"))).toBe(true);
  });

  it("refuses a Split without a rule when the flow is validated", () => {
    const result = loadFlow(
      `id: split_no_rule
namespace: company.team
tasks:
  - id: split
    type: io.kestra.plugin.core.storage.Split
    from: kestra:///company/team/file.txt
  - id: bad_size
    type: io.kestra.plugin.core.storage.Split
    from: kestra:///company/team/file.txt
    bytes: 10 megabytes
`,
      { registry: builtInRegistry() },
    );
    expect(result.errors.map((e) => e.message)).toEqual([
      "set one of rows, bytes, partitions or regexPattern to say how to split",
      "invalid size '10 megabytes' (use a number of bytes or a size such as 512KB, 10MB, 1GB)",
    ]);
  });

  it("reverses the lines of a file", async () => {
    const { engine } = newEngine();
    await engine.storage.put(`${NS}/numbers.txt`, "1\n2\n3\n");
    await engine.storage.put(`${NS}/latin1.txt`, new Uint8Array([0x61, 0xe9, 0x0a, 0x62]));
    const execution = await run(
      engine,
      `id: reverse
namespace: company.team
inputs:
  - id: file
    type: FILE
  - id: latin
    type: FILE
tasks:
  - id: reverse
    type: io.kestra.plugin.core.storage.Reverse
    from: "{{ inputs.file }}"
  - id: windows
    type: io.kestra.plugin.core.storage.Reverse
    from: "{{ inputs.file }}"
    separator: "\\r\\n"
  - id: latin
    type: io.kestra.plugin.core.storage.Reverse
    from: "{{ inputs.latin }}"
    charset: ISO-8859-1
`,
      { file: `${NS}/numbers.txt`, latin: `${NS}/latin1.txt` },
    );
    expect(execution.state.current).toBe("SUCCESS");
    const reversed = outputsOf(execution, "reverse").uri as string;
    expect(reversed).toMatch(/\/reverse\.txt$/);
    expect(await text(engine, reversed)).toBe("3\n2\n1\n");
    expect(await text(engine, outputsOf(execution, "windows").uri)).toBe("3\r\n2\r\n1\r\n");
    expect([...(await engine.storage.get(String(outputsOf(execution, "latin").uri)))]).toEqual([
      0x62, 0x0a, 0x61, 0xe9, 0x0a,
    ]);
  });

  it("filters JSON-lines and ION items with an expression", async () => {
    const { engine } = newEngine();
    const lines = [
      '{"order_id": 1, "product_id": 20, "customer": "Kelly"}',
      '{order_id:2,product_id:14,customer:"Miguel"}',
      '{"order_id": 3, "product_id": 20, "customer": "Kelly"}',
      "{order_id:4,customer:'Jessica'}",
    ];
    await engine.storage.put(`${NS}/orders.ion`, `${lines.join("\n")}\n`);
    const execution = await run(
      engine,
      `id: filter
namespace: company.team
inputs:
  - id: orders
    type: FILE
  - id: product
    type: INT
    defaults: 20
tasks:
  - id: include
    type: io.kestra.plugin.core.storage.FilterItems
    from: "{{ inputs.orders }}"
    filterCondition: "{{ (product_id ?? 0) == inputs.product }}"
  - id: exclude
    type: io.kestra.core.tasks.storages.FilterItems
    from: "{{ inputs.orders }}"
    filterCondition: "{{ product_id == 20 }}"
    filterType: EXCLUDE
    errorOrNullBehavior: INCLUDE
  - id: drop_errors
    type: io.kestra.plugin.core.storage.FilterItems
    from: "{{ inputs.orders }}"
    filterCondition: "{{ value.product_id > 15 }}"
    errorOrNullBehavior: EXCLUDE
  - id: strict
    type: io.kestra.plugin.core.storage.FilterItems
    from: "{{ inputs.orders }}"
    filterCondition: "{{ product_id == 20 }}"
`,
      { orders: `${NS}/orders.ion` },
    );
    expect(outputsOf(execution, "include")).toMatchObject({ processedItemsTotal: 4, droppedItemsTotal: 2 });
    expect(await text(engine, outputsOf(execution, "include").uri)).toBe(`${lines[0]}\n${lines[2]}\n`);
    expect(outputsOf(execution, "include").uri).toMatch(/\/include\.ion$/);
    expect(await text(engine, outputsOf(execution, "exclude").uri)).toBe(`${lines[1]}\n${lines[3]}\n`);
    expect(await text(engine, outputsOf(execution, "drop_errors").uri)).toBe(`${lines[0]}\n${lines[2]}\n`);
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "strict")).toMatch(/^filterCondition failed on item at line 4: /);
  });

  it("fails FilterItems on a line that is neither ION nor JSON", async () => {
    const { engine } = newEngine();
    await engine.storage.put(`${NS}/broken.jsonl`, '{"a": 1}\n{"a": \n');
    const execution = await run(
      engine,
      `id: filter_broken
namespace: company.team
tasks:
  - id: filter
    type: io.kestra.plugin.core.storage.FilterItems
    from: ${NS}/broken.jsonl
    filterCondition: "{{ a == 1 }}"
`,
    );
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "filter")).toMatch(
      /^line 2 of kestra:\/\/\/company\/team\/uploads\/broken\.jsonl is not an ION or JSON value: /,
    );
  });

  it("deduplicates items, keeping the last of each key in file order", async () => {
    const { engine } = newEngine();
    const lines = [
      '{"id": 1, "email": "kelly@example.com", "v": 1}',
      '{"id": 2, "email": "miguel@example.net", "v": 1}',
      '{"id": 3, "email": "kelly@example.com", "v": 2}',
      '{"id": 4, "email": "jessica@example.com", "v": 1}',
      '{"id": 5, "email": "jessica@example.com", "v": 2}',
    ];
    await engine.storage.put(`${NS}/customers.jsonl`, lines.join("\n"));
    await engine.storage.put(`${NS}/numbers.jsonl`, "1\n2\n1\n3\n2\n");
    const execution = await run(
      engine,
      `id: dedup
namespace: company.team
inputs:
  - id: customers
    type: FILE
  - id: numbers
    type: FILE
tasks:
  - id: dedup
    type: io.kestra.plugin.core.storage.DeduplicateItems
    from: "{{ inputs.customers }}"
    expr: "{{ email }}"
  - id: scalars
    type: io.kestra.core.tasks.storages.DeduplicateItems
    from: "{{ inputs.numbers }}"
    expr: "{{ value }}"
`,
      { customers: `${NS}/customers.jsonl`, numbers: `${NS}/numbers.jsonl` },
    );
    expect(execution.state.current).toBe("SUCCESS");
    expect(outputsOf(execution, "dedup")).toMatchObject({
      numKeys: 3,
      processedItemsTotal: 5,
      droppedItemsTotal: 2,
    });
    expect(await text(engine, outputsOf(execution, "dedup").uri)).toBe(
      `${lines[1]}\n${lines[2]}\n${lines[4]}\n`,
    );
    expect(await text(engine, outputsOf(execution, "scalars").uri)).toBe("1\n3\n2\n");
  });

  it("purges the files of the current execution only", async () => {
    const { engine } = newEngine();
    await engine.storage.put(`${NS}/input.txt`, "a\nb\n");
    const flow = `id: purge
namespace: company.team
inputs:
  - id: file
    type: FILE
tasks:
  - id: reverse
    type: io.kestra.plugin.core.storage.Reverse
    from: "{{ inputs.file }}"
  - id: purge
    type: io.kestra.core.tasks.storages.PurgeExecution
`;
    const other = await engine.storage.put(
      "kestra:///company/team/purge/executions/other/tasks/x/y/keep.txt",
      "k",
    );
    const execution = await run(engine, flow, { file: `${NS}/input.txt` });
    expect(execution.state.current).toBe("SUCCESS");
    const reversed = outputsOf(execution, "reverse").uri as string;
    expect(outputsOf(execution, "purge")).toEqual({ uris: [reversed] });
    expect(await engine.storage.exists(reversed)).toBe(false);
    expect(await engine.storage.exists(other)).toBe(true);
    expect(await engine.storage.exists(`${NS}/input.txt`)).toBe(true);
  });

  it("fails PurgeCurrentExecutionFiles instead of pretending to purge child executions", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: purge_children
namespace: company.team
tasks:
  - id: purge
    type: io.kestra.plugin.core.storage.PurgeCurrentExecutionFiles
    includeChildExecutions: true
`,
    );
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "purge")).toContain(
      "cannot purge child executions in this version of Cadenza yet",
    );
  });

  it("creates LocalFiles inputs (text or kestra://) and sends the matching ones as uris", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: local_files
namespace: company.team
tasks:
  - id: first
    type: io.kestra.core.tasks.storages.LocalFiles
    inputs:
      hello.txt: Hello
      sub/data.csv: "a,b"
      skipped.log: no
    outputs:
      - "**.txt"
      - "**.csv"
  - id: second
    type: io.kestra.plugin.core.storage.LocalFiles
    inputs:
      copy.txt: "{{ outputs.first.uris['hello.txt'] }}"
    outputs: [copy.txt]
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    const uris = outputsOf(execution, "first").uris as Record<string, string>;
    expect(Object.keys(uris).sort()).toEqual(["hello.txt", "sub/data.csv"]);
    expect(await text(engine, uris["sub/data.csv"])).toBe("a,b");
    const copy = (outputsOf(execution, "second").uris as Record<string, string>)["copy.txt"];
    expect(await text(engine, copy)).toBe("Hello");
  });
});

describe("splitRows", () => {
  const text = "a\nbb\nccc\ndddd\n";
  it("splits by rows", () => {
    expect(splitRows(text, { kind: "rows", count: 3 }, "\n")).toEqual(["a\nbb\nccc\n", "dddd\n"]);
  });
  it("starts a new part once a part holds at least `bytes` bytes", () => {
    expect(splitRows(text, { kind: "bytes", limit: 4 }, "\n")).toEqual(["a\nbb\n", "ccc\n", "dddd\n"]);
  });
  it("deals rows round-robin into partitions and drops empty ones", () => {
    expect(splitRows(text, { kind: "partitions", count: 3 }, "\n")).toEqual(["a\ndddd\n", "bb\n", "ccc\n"]);
    expect(splitRows("x\n", { kind: "partitions", count: 4 }, "\n")).toEqual(["x\n"]);
  });
  it("gives nothing for an empty file", () => {
    expect(splitRows("", { kind: "rows", count: 1 }, "\n")).toEqual([]);
  });
});

describe("parseIonValue", () => {
  it("reads JSON", () => {
    expect(parseIonValue('{"a": [1, 2.5, -3e2, true, null], "b": "x\\ny"}')).toEqual({
      a: [1, 2.5, -300, true, null],
      b: "x\ny",
    });
  });

  it("reads Ion text as the serdes plugins write it", () => {
    expect(
      parseIonValue(
        "{order_id:1,customer_name:\"Kelly Olsen\",'unit price':166.89,qty:2d1,ratio:1e0,when:2024-01-31T10:00:00Z,tags:[a,'b c'],none:null.string,hex:0x1F,big:1_000}",
      ),
    ).toEqual({
      order_id: 1,
      customer_name: "Kelly Olsen",
      "unit price": 166.89,
      qty: 20,
      ratio: 1,
      when: "2024-01-31T10:00:00Z",
      tags: ["a", "b c"],
      none: null,
      hex: 31,
      big: 1000,
    });
  });

  it("drops annotations and comments, reads long strings and special floats", () => {
    expect(parseIonValue("money::{amount: 12.0 /* euros */, note: '''a''' '''b'''} // end")).toEqual({
      amount: 12,
      note: "ab",
    });
    expect(parseIonValue("[nan, +inf, -inf]")).toEqual([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
  });

  it("keeps a field named __proto__ as a plain field", () => {
    const value = parseIonValue('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reports malformed text and unsupported values", () => {
    expect(() => parseIonValue('{"a": ')).toThrow(/unexpected end of value/);
    expect(() => parseIonValue("{a: 1} x")).toThrow(/unexpected content after the value/);
    expect(() => parseIonValue("{{ aGVsbG8= }}")).toThrow(/blobs and clobs are not supported/);
    expect(() => parseIonValue("(+ 1 2)")).toThrow(/s-expressions are not supported/);
  });
});
