import { z } from "zod";
import { defineJdbcPlugins } from "../define";
import { embeddedOutputs, inputFilesShape, openEmbedded } from "../embedded";
import { POSTGRES } from "../sql";
import { inTransaction, runStatement, withDuckDb } from "./client";

/** The database file a `jdbc:duckdb:` URL names (its file name only), or undefined for memory. */
function fileOf(url: string): string | undefined {
  const match = /^jdbc:duckdb:(.*)$/i.exec(url.trim());
  if (!match) throw new Error(`url must be jdbc:duckdb: (in memory) or jdbc:duckdb:<file>, got '${url}'`);
  const rest = (match[1] ?? "").split("?")[0] ?? "";
  if (rest === "" || rest === ":memory:" || rest.startsWith(":memory:")) return undefined;
  if (/^(md|motherduck):/i.test(rest))
    throw new Error("url: MotherDuck is not supported (its extension cannot be installed here)");
  return rest;
}

const { query, queries } = defineJdbcPlugins({
  pkg: "duckdb",
  product: "DuckDB",
  // Quoted: a bare `jdbc:duckdb:` ends in a colon, which YAML reads as a mapping.
  exampleUrl: "'jdbc:duckdb:'",
  secretPrefix: "DUCKDB",
  valueNotes: [
    "DuckDB runs inside the engine, in the task's own working directory: `inputFiles` are written there",
    "(`read_csv_auto('{{ workingDir }}/data.csv')`: a path without `{{ workingDir }}` is refused), files the",
    "SQL writes to `{{ outputFiles.name }}` are stored afterwards, and no other path of the machine can be",
    "read or written. The database lives for the task run: start from a stored one with `databaseUri`, and keep",
    "it with `outputDbFile: true` (a file name in `url` only names that file). Extensions cannot be",
    "installed (no download), so `communityExtensions` and MotherDuck URLs are not supported.",
    "",
    "Values: BIGINT/HUGEINT and DECIMAL are numbers when exact, else strings; TIMESTAMP is ISO local text",
    "(`2024-05-01T10:00:00`), TIMESTAMPTZ an ISO instant, DATE `2024-05-01`, TIME and INTERVAL text; BLOB",
    "is base64; lists and structs are lists and maps.",
  ],
  splitNote: "not inside quotes, comments or `$$` bodies",
  exampleTable: "id integer primary key, name varchar",
  dialect: POSTGRES,
  client: { withClient: withDuckDb, runStatement, inTransaction },
  embedded: {
    connection: {
      url: z
        .string()
        .default("jdbc:duckdb:")
        .describe(
          "`jdbc:duckdb:` (the default): a database for this task run only; `jdbc:duckdb:<file>`: the database file of that name in the task's working directory (what `outputDbFile` stores).",
        ),
      username: z.string().optional().describe("Not used by DuckDB."),
      password: z.string().optional().describe("Not used by DuckDB."),
      timeZoneId: z.string().optional().describe("The session's time zone (DuckDB's TimeZone setting)."),
    },
    shape: {
      ...inputFilesShape,
      databaseUri: z
        .string()
        .optional()
        .describe(
          "A DuckDB database file of the internal storage to open (`{{ outputs.previous.databaseUri }}`).",
        ),
      outputDbFile: z
        .boolean()
        .default(false)
        .describe("Store the database file afterwards, as `outputs.<task>.databaseUri`."),
      communityExtensions: z
        .array(z.string())
        .default(["ion"])
        .describe(
          "Not supported: extensions cannot be installed here. Other values than the default are logged.",
        ),
    },
    outputs: embeddedOutputs,
    async open(ctx, p) {
      const extensions = (p.communityExtensions as string[] | undefined) ?? [];
      if (extensions.some((name) => name !== "ion"))
        ctx.logger.warn(
          `communityExtensions ${extensions.join(", ")}: extensions cannot be installed here; ignored`,
        );
      return openEmbedded(ctx, {
        fileName: fileOf(String(p.url ?? "jdbc:duckdb:")),
        from: p.databaseUri as string | undefined,
        inputFiles: p.inputFiles,
        outputFiles: p.outputFiles as string[] | undefined,
        outputDbFile: Boolean(p.outputDbFile),
        defaultName: "database.duckdb",
      });
    },
  },
});

/** Kestra's plugin-jdbc-duckdb on @duckdb/node-api (Query and Queries; see README.md). */
export const duckdbPlugins = [query, queries];
