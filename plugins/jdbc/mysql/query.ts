import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { requireStorage, taskFileUri } from "../../core/storage/files";
import { connectionShape, fetchShape, queryShape, resultOutputs, type StatementResult } from "../shared";
import { MYSQL, splitStatements } from "../sql";
import { inTransaction, runStatement, withMysql } from "./client";

const QUERY = "jdbc.mysql.Query";
const QUERIES = "jdbc.mysql.Queries";
export const MYSQL_URL = "jdbc:mysql://127.0.0.1:3306/shop";

const connection = connectionShape(MYSQL_URL);

export const mysqlQueryPlugin = definePlugin({
  type: QUERY,
  // Kestra's plugin-jdbc-mariadb has the same tasks under its own names.
  aliases: ["io.kestra.plugin.jdbc.mariadb.Query"],
  kind: "runnable",
  title: "Run a SQL statement on MySQL.",
  description: [
    "Connects to the database of `url`, runs `sql` (its `:name` placeholders bound to `parameters`) and",
    "returns its rows as `fetchType` says: the first as `row`, all as `rows`, or an ION file as `uri`,",
    "read through a cursor `fetchSize` rows at a time. `afterSQL` runs in the same transaction.",
    "",
    "Works with MySQL and MariaDB (`jdbc:mysql://` or `jdbc:mariadb://`).",
    "",
    "Values: BIGINT and DECIMAL are numbers when exact, else strings; DATETIME and TIMESTAMP are ISO local",
    "text in the session's time zone (UTC unless `timeZoneId`), DATE `2024-05-01`; binary columns are base64;",
    "JSON columns are parsed (MariaDB stores JSON as text: it stays text).",
  ].join("\n"),
  schema: z.object({ ...connection, ...queryShape }),
  outputs: z.object(resultOutputs),
  examples: [
    {
      title: "Fetch the orders of the day, then store all customers as an ION file",
      flow: `id: postgres_query
namespace: company.team

tasks:
  - id: orders
    type: io.kestra.plugin.jdbc.mysql.Query
    url: ${MYSQL_URL}
    username: "{{ secret('MYSQL_USERNAME') }}"
    password: "{{ secret('MYSQL_PASSWORD') }}"
    sql: select id, amount from orders where created_on = :day
    parameters:
      day: "{{ now() | date('yyyy-MM-dd') }}"
    fetchType: FETCH

  - id: customers
    type: io.kestra.plugin.jdbc.mysql.Query
    url: ${MYSQL_URL}
    username: "{{ secret('MYSQL_USERNAME') }}"
    password: "{{ secret('MYSQL_PASSWORD') }}"
    sql: select * from customers
    fetchType: STORE
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const store = () => ({
      storage: requireStorage(ctx, QUERY),
      uri: taskFileUri(ctx, `${ctx.task.id}.ion`),
    });
    const outputs = await withMysql(p, ctx.services, ctx.signal, async (client) => {
      if (!p.afterSQL) return runStatement(client, p.sql, p.parameters, p, store);
      const afterSQL = p.afterSQL;
      return inTransaction(client, async () => {
        const result = await runStatement(client, p.sql, p.parameters, p, store);
        await runStatement(
          client,
          afterSQL,
          p.parameters,
          { fetchType: "NONE", fetchSize: p.fetchSize },
          store,
        );
        return result;
      });
    });
    return { outputs: { ...outputs } };
  },
});

export const mysqlQueriesPlugin = definePlugin({
  type: QUERIES,
  // Kestra's plugin-jdbc-mariadb has the same tasks under its own names.
  aliases: ["io.kestra.plugin.jdbc.mariadb.Queries"],
  kind: "runnable",
  title: "Run several SQL statements on MySQL.",
  description: [
    "Splits `sql` on `;` (not inside quotes or comments) and runs each statement in turn, in",
    "one transaction unless `transaction` is false (MySQL commits DDL statements at once). With a `fetchType` other than NONE, `outputs` holds one",
    "result per statement (`row`, `rows` or `uri`, and `size`), in order. Values map as in Query.",
  ].join("\n"),
  schema: z.object({
    ...connection,
    sql: z.string().min(1).describe("The statements to run, separated by `;`."),
    ...fetchShape,
    transaction: z
      .boolean()
      .default(true)
      .describe("Run every statement in one transaction (rolled back when one fails)."),
  }),
  outputs: z.object({
    outputs: z.array(z.object(resultOutputs)).describe("One result per statement, in order."),
  }),
  examples: [
    {
      title: "Create a table, fill it and read it back",
      flow: `id: postgres_queries
namespace: company.team

tasks:
  - id: init_products
    type: io.kestra.plugin.jdbc.mysql.Queries
    url: ${MYSQL_URL}
    username: "{{ secret('MYSQL_USERNAME') }}"
    password: "{{ secret('MYSQL_PASSWORD') }}"
    sql: |
      create table if not exists products (id int auto_increment primary key, name text);
      insert into products (name) values ('kettle'), ('toaster');
      select count(*) as count from products;
    fetchType: FETCH_ONE
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const statements = splitStatements(p.sql, MYSQL);
    if (statements.length === 0) throw new Error("sql has no statement");
    const results = await withMysql(p, ctx.services, ctx.signal, async (client) => {
      const all = async () => {
        const out: StatementResult[] = [];
        for (const [index, statement] of statements.entries()) {
          const store = () => ({
            storage: requireStorage(ctx, QUERIES),
            uri: taskFileUri(ctx, `${ctx.task.id}_${index}.ion`),
          });
          const result = await runStatement(client, statement, p.parameters, p, store);
          if (p.fetchType !== "NONE") out.push(result);
        }
        return out;
      };
      return p.transaction ? inTransaction(client, all) : all();
    });
    return { outputs: { outputs: results } };
  },
});
