import { randomUUID } from "node:crypto";
import { z } from "zod";
import { toIon } from "@/engine/expr";
import type { FileStorage } from "@/engine/plugin";
import { writeText } from "../serdes/stream";
import { ionRow, jsonRow } from "./values";

export const FETCH_TYPES = ["NONE", "FETCH_ONE", "FETCH", "STORE"] as const;
export type FetchType = (typeof FETCH_TYPES)[number];

/** Where to connect: Kestra's `url`, `username`, `password` (secrets work as anywhere: `{{ secret('X') }}`). */
export function connectionShape(example: string) {
  return {
    url: z
      .string()
      .min(1)
      .describe(
        `The JDBC URL of the database, e.g. \`${example}\`. \`user\` and \`password\` query parameters are read too; the host must be allowed by the outbound-address policy (CADENZA_HTTP_ALLOWED_NETWORKS).`,
      ),
    username: z.string().optional().describe("The database user."),
    password: z
      .string()
      .optional()
      .describe("The user's password; use a secret: `{{ secret('DB_PASSWORD') }}`."),
    timeZoneId: z
      .string()
      .optional()
      .describe(
        "The session's time zone (e.g. `Europe/Paris`), for values without a zone; outputs are in UTC.",
      ),
  };
}

/** The connection properties as a task receives them, whatever the database. */
export type JdbcConnection = z.output<z.ZodObject<ReturnType<typeof connectionShape>>>;

export const fetchShape = {
  fetchType: z
    .enum(FETCH_TYPES)
    .default("NONE")
    .describe(
      "What to do with the rows: NONE (nothing), FETCH_ONE (the first as `row`), FETCH (all as `rows`, kept in the execution: small results only), STORE (an ION file in the internal storage as `uri`, written as rows arrive).",
    ),
  fetchSize: z
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe(
      "How many rows are read from the server at a time (a cursor): memory stays bounded with STORE.",
    ),
  parameters: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      "Values for the `:name` placeholders of `sql`, sent apart from the SQL (a prepared statement).",
    ),
};

export const queryShape = {
  sql: z.string().min(1).describe("The SQL statement to run."),
  ...fetchShape,
  afterSQL: z
    .string()
    .optional()
    .describe(
      "A statement run after the rows are fetched, in the same transaction (e.g. to mark the fetched rows as processed).",
    ),
};

/** The outputs of one statement. */
export const resultOutputs = {
  row: z.record(z.string(), z.unknown()).optional().describe("FETCH_ONE: the first row."),
  rows: z.array(z.record(z.string(), z.unknown())).optional().describe("FETCH: the rows."),
  uri: z.string().optional().describe("STORE: the ION file of the rows in the internal storage."),
  size: z.number().int().optional().describe("The number of rows fetched or stored."),
};

export interface StatementResult {
  row?: Record<string, unknown>;
  rows?: Record<string, unknown>[];
  uri?: string;
  size?: number;
}

/** Rows read a batch at a time from a server-side cursor (or the driver's row stream). */
export interface RowReader {
  /** Up to `count` more rows; an empty array at the end. */
  read(count: number): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Where STORE writes. */
export interface StoreTarget {
  storage: FileStorage;
  uri: string;
}

/** Reads what `fetchType` asks for from `reader` (closing it) into a statement's outputs. */
export async function fetchResult(
  fetchType: Exclude<FetchType, "NONE">,
  reader: RowReader,
  fetchSize: number,
  store: () => StoreTarget,
): Promise<StatementResult> {
  try {
    if (fetchType === "FETCH_ONE") {
      const [first] = await reader.read(1);
      return first ? { row: jsonRow(first), size: 1 } : { size: 0 };
    }
    if (fetchType === "FETCH") {
      const rows: Record<string, unknown>[] = [];
      for (let batch = await reader.read(fetchSize); batch.length; batch = await reader.read(fetchSize))
        for (const row of batch) rows.push(jsonRow(row));
      return { rows, size: rows.length };
    }
    const target = store();
    let size = 0;
    async function* lines(): AsyncIterable<string> {
      for (let batch = await reader.read(fetchSize); batch.length; batch = await reader.read(fetchSize)) {
        size += batch.length;
        yield batch.map((row) => `${toIon(ionRow(row))}\n`).join("");
      }
    }
    const uri = await writeText(target.storage, target.uri, lines());
    return { uri, size };
  } finally {
    await reader.close();
  }
}

/** Where a trigger's STORE writes: under the flow, as no execution exists yet when it polls. */
export function triggerFileUri(flow: { namespace: string; id: string }, triggerId: string): string {
  return `kestra:///${flow.namespace.split(".").join("/")}/${flow.id}/triggers/${triggerId}/${randomUUID()}.ion`;
}

/** A trigger's poll result: an execution starts only when the query returned rows. */
export function triggerVariables(result: StatementResult): Record<string, unknown> | undefined {
  if (!result.size) return undefined;
  return { ...result };
}
