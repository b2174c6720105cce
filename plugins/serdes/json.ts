import { z } from "zod";
import { toIon } from "@/engine/expr";
import { definePlugin } from "@/engine/plugin";
import { charset, conversionOutputs, converted, from, ionRows, newLine, source, targetUri } from "./shared";
import { readLines, readText, writeText } from "./stream";

const JSON_TO_ION = "serdes.json.JsonToIon";
const ION_TO_JSON = "serdes.json.IonToJson";

function parse(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${where} is not valid JSON: ${(error as Error).message}`);
  }
}

export const jsonToIonPlugin = definePlugin({
  type: JSON_TO_ION,
  kind: "runnable",
  title: "Convert a JSON file into ION.",
  description: [
    "Reads a JSON-lines file (one value per line; blank lines skipped) of the internal storage and writes",
    "each value as one ION row, streaming. With `newLine: false` the file is one JSON value, read whole:",
    "an array gives one row per item, anything else one row.",
    "",
    "Numbers are read as JavaScript reads JSON: integers beyond 2^53 lose precision and `1.0` is the",
    "integer 1; other numbers are written as ION floats (`1.5e0`), as Kestra's writer does for doubles.",
  ].join("\n"),
  schema: z.object({ from, charset: charset("JSON"), newLine }),
  outputs: conversionOutputs,
  examples: [
    {
      title: "Convert a JSON-lines file downloaded from an API to ION",
      flow: `id: json_to_ion
namespace: company.team

tasks:
  - id: download
    type: io.kestra.plugin.core.http.Download
    uri: https://huggingface.co/datasets/kestra/datasets/raw/main/json/products.jsonl

  - id: to_ion
    type: io.kestra.plugin.serdes.json.JsonToIon
    from: "{{ outputs.download.uri }}"
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const { storage, uri } = source(ctx, JSON_TO_ION, p.from);
    const target = targetUri(ctx, uri, ".ion");
    let count = 0;
    async function* lines(): AsyncIterable<string> {
      if (p.newLine) {
        let number = 0;
        for await (const batch of readLines(readText(storage, uri, p.charset))) {
          let text = "";
          for (const line of batch) {
            number++;
            if (line.trim() === "") continue;
            count++;
            text += `${toIon(parse(line, `line ${number} of ${uri}`))}\n`;
          }
          yield text;
        }
        return;
      }
      let text = "";
      for await (const piece of readText(storage, uri, p.charset)) text += piece;
      const value = parse(text, uri);
      for (const row of Array.isArray(value) ? value : [value]) {
        count++;
        yield `${toIon(row)}\n`;
      }
    }
    await writeText(storage, target, lines());
    return converted(ctx, target, count);
  },
});

export const ionToJsonPlugin = definePlugin({
  type: ION_TO_JSON,
  kind: "runnable",
  title: "Convert an ION file into JSON.",
  description: [
    "Reads an ION file (one row per line) and writes JSON lines, streaming. With `newLine: false` it",
    "writes one JSON value: an array of the rows, or the row itself when there is only one (as Kestra).",
    "ION timestamps become ISO-8601 strings; annotations are dropped.",
  ].join("\n"),
  schema: z.object({
    from,
    charset: charset("JSON"),
    newLine,
    timeZoneId: z
      .string()
      .optional()
      .describe("Accepted for Kestra compatibility: timestamps are written with the offset they carry."),
    shouldKeepAnnotations: z
      .boolean()
      .default(false)
      .describe("Keep ION annotations in the JSON; not supported yet (true fails the task)."),
  }),
  outputs: conversionOutputs,
  examples: [
    {
      title: "Convert the logs of the execution (ION) to JSON lines",
      flow: `id: ion_to_json
namespace: company.team

tasks:
  - id: logs
    type: io.kestra.plugin.core.log.Fetch

  - id: to_json
    type: io.kestra.plugin.serdes.json.IonToJson
    from: "{{ outputs.logs.uri }}"
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    if (p.shouldKeepAnnotations)
      throw new Error("shouldKeepAnnotations: keeping ION annotations is not supported");
    const { storage, uri } = source(ctx, ION_TO_JSON, p.from);
    const target = targetUri(ctx, uri, p.newLine ? ".jsonl" : ".json");
    let count = 0;
    async function* lines(): AsyncIterable<string> {
      // Without newLine, one row is written alone; from the second on, the rows are an array.
      let first: string | undefined;
      for await (const batch of ionRows(storage, uri)) {
        let text = "";
        for (const row of batch) {
          const json = JSON.stringify(row);
          count++;
          if (p.newLine) text += `${json}\n`;
          else if (count === 1) first = json;
          else if (count === 2) text += `[${first},${json}`;
          else text += `,${json}`;
        }
        yield text;
      }
      if (!p.newLine && count === 1) yield first as string;
      else if (!p.newLine && count > 1) yield "]";
    }
    await writeText(storage, target, lines(), p.charset);
    return converted(ctx, target, count);
  },
});
