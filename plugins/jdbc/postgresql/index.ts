import { defineJdbcPlugins } from "../define";
import { POSTGRES } from "../sql";
import { inTransaction, runStatement, withPostgres } from "./client";
import { postgresCopyInPlugin, postgresCopyOutPlugin } from "./copy";
import { PG_URL } from "./example";

const { query, queries, trigger } = defineJdbcPlugins({
  pkg: "postgresql",
  product: "PostgreSQL",
  exampleUrl: PG_URL,
  secretPrefix: "POSTGRES",
  valueNotes: [
    "Values: int8 and numeric are numbers when exact, else strings; timestamptz are ISO-8601 instants (UTC),",
    "timestamp and date the text PostgreSQL gives (`2024-05-01T10:00:00`, `2024-05-01`); bytea is base64;",
    "json and jsonb are parsed; arrays are lists.",
  ],
  splitNote: "not inside quotes, comments or `$$` bodies",
  exampleTable: "id serial primary key, name text",
  dialect: POSTGRES,
  client: { withClient: withPostgres, runStatement, inTransaction },
});

/** Kestra's plugin-jdbc-postgres on node-postgres. */
export const postgresPlugins = [query, queries, postgresCopyInPlugin, postgresCopyOutPlugin, trigger];
