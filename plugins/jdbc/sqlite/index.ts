import { z } from "zod";
import { defineJdbcPlugins } from "../define";
import { embeddedOutputs, inputFilesShape, openEmbedded } from "../embedded";
import { POSTGRES } from "../sql";
import { inTransaction, runStatement, withSqlite } from "./client";

/** The database file a `jdbc:sqlite:` URL names (its file name only), or undefined for memory. */
function fileOf(url: string): string | undefined {
  const match = /^jdbc:sqlite:(.*)$/i.exec(url.trim());
  if (!match) throw new Error(`url must be jdbc:sqlite: (in memory) or jdbc:sqlite:<file>, got '${url}'`);
  const rest = (match[1] ?? "").split("?")[0] ?? "";
  if (rest === "" || rest === ":memory:" || rest.startsWith("file::memory:") || rest.includes("mode=memory"))
    return undefined;
  return rest.replace(/^file:/, "");
}

const { query, queries } = defineJdbcPlugins({
  pkg: "sqlite",
  product: "SQLite",
  exampleUrl: "jdbc:sqlite:myfile.db",
  secretPrefix: "SQLITE",
  valueNotes: [
    "SQLite runs inside the engine (sql.js, SQLite in WebAssembly), in the task's own working directory:",
    "the database is `sqliteFile` (a file of the internal storage) or a new one, and `outputDbFile: true`",
    "stores it afterwards as `databaseUri`, for the next task's `sqliteFile` (a file name in `url` only",
    "names that file; no other path of the machine is reachable). The whole database is held in memory",
    "while the task runs: SQLite here is for small databases passed between tasks.",
    "",
    "Values: integers are numbers when exact (else strings), reals numbers, text strings, blobs base64.",
  ],
  splitNote: "not inside quotes or comments",
  exampleTable: "id integer primary key, name text",
  dialect: POSTGRES,
  client: { withClient: withSqlite, runStatement, inTransaction },
  embedded: {
    connection: {
      url: z
        .string()
        .default("jdbc:sqlite:")
        .describe(
          "`jdbc:sqlite:` (the default): an in-memory database, or the file of `sqliteFile`; `jdbc:sqlite:<file>`: the database file of that name in the task's working directory.",
        ),
      username: z.string().optional().describe("Not used by SQLite."),
      password: z.string().optional().describe("Not used by SQLite."),
      timeZoneId: z
        .string()
        .optional()
        .describe("Accepted for Kestra compatibility: SQLite has no session zone."),
    },
    shape: {
      ...inputFilesShape,
      sqliteFile: z
        .string()
        .optional()
        .describe(
          "A SQLite database file of the internal storage to open (`{{ outputs.previous.databaseUri }}`).",
        ),
      outputDbFile: z
        .boolean()
        .default(false)
        .describe("Store the database file afterwards, as `outputs.<task>.databaseUri`."),
    },
    outputs: embeddedOutputs,
    open: (ctx, p) =>
      openEmbedded(ctx, {
        fileName: fileOf(String(p.url ?? "jdbc:sqlite:")),
        from: p.sqliteFile as string | undefined,
        inputFiles: p.inputFiles,
        outputFiles: p.outputFiles as string[] | undefined,
        outputDbFile: Boolean(p.outputDbFile),
        defaultName: "database.sqlite",
      }),
  },
});

/** Kestra's plugin-jdbc-sqlite on sql.js (Query and Queries; see README.md). */
export const sqlitePlugins = [query, queries];
