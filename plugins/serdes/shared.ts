import { z } from "zod";
import { IonSyntaxError, parseIonValue } from "@/engine/expr";
import { dyn, type FileStorage, type TaskRunContext } from "@/engine/plugin";
import { checkUri, requireStorage, taskFileUri } from "../core/storage/files";
import { readLines, readText } from "./stream";

/** `from`: the internal-storage file to convert. */
export const from = z
  .string()
  .min(1)
  .describe("The file to convert: a `kestra://` internal storage URI, e.g. `{{ outputs.download.uri }}`.");

export const charset = (what: string) =>
  z.string().min(1).default("UTF-8").describe(`The charset of the ${what} file, e.g. UTF-8 or ISO-8859-1.`);

/** A single character (Kestra's `Character` properties: fieldSeparator, textDelimiter). */
export const character = (description: string, fallback: string) =>
  z.string().length(1, "expected exactly one character").default(fallback).describe(description);

export const newLine = dyn(z.boolean())
  .default(true)
  .describe(
    "Whether the JSON file has one value per line (JSON lines). When false, the file is one JSON value (an array's items become rows), which is read whole into memory.",
  );

/** Every serdes task's outputs. */
export const conversionOutputs = z.object({
  uri: z.string().describe("The URI of the converted file in the internal storage."),
  size: z.number().int().describe("The number of records converted."),
});

/** The storage and the checked source URI of a conversion. */
export function source(
  ctx: TaskRunContext<unknown>,
  type: string,
  uri: string,
): { storage: FileStorage; uri: string } {
  return { storage: requireStorage(ctx, type), uri: checkUri(uri, "from") };
}

/** The URI of the converted file: the source's name with the target's extension, in this task run's folder. */
export function targetUri(ctx: TaskRunContext<unknown>, fromUri: string, extension: string): string {
  const path = fromUri.replace(/[?#].*$/, "");
  let name = path.slice(path.lastIndexOf("/") + 1);
  try {
    name = decodeURIComponent(name.replace(/\+/g, "%20"));
  } catch {
    // Keep the name as written.
  }
  const dot = name.lastIndexOf(".");
  const base = (dot > 0 ? name.slice(0, dot) : name) || ctx.task.id;
  return taskFileUri(ctx, `${base}${extension}`);
}

/** The rows of an ION file (one value per line, as Kestra writes them), a chunk's rows at a time. */
export async function* ionRows(storage: FileStorage, uri: string): AsyncIterable<unknown[]> {
  let number = 0;
  for await (const lines of readLines(readText(storage, uri, "UTF-8"))) {
    const rows: unknown[] = [];
    for (const line of lines) {
      number++;
      if (line.trim() === "") continue;
      try {
        rows.push(parseIonValue(line));
      } catch (error) {
        const why = error instanceof IonSyntaxError ? error.message : String(error);
        throw new Error(`line ${number} of ${uri} is not an ION value: ${why}`);
      }
    }
    if (rows.length) yield rows;
  }
}

/** The outcome of a conversion: Kestra's `uri` and `size` outputs, and its `records` metric. */
export function converted(ctx: TaskRunContext<unknown>, uri: string, size: number) {
  ctx.metric({ name: "records", type: "counter", value: size });
  return { outputs: { uri, size } };
}
