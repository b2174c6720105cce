import { z } from "zod";
import { definePlugin, duration } from "@/engine/plugin";
import { connectionShape, fetchShape, resultOutputs, triggerFileUri, triggerVariables } from "../shared";
import { runStatement, withMysql } from "./client";
import { MYSQL_URL } from "./query";

const TRIGGER = "jdbc.mysql.Trigger";

export const mysqlTriggerPlugin = definePlugin({
  type: TRIGGER,
  // Kestra's plugin-jdbc-mariadb has the same tasks under its own names.
  aliases: ["io.kestra.plugin.jdbc.mariadb.Trigger"],
  kind: "trigger",
  title: "Start an execution when a MySQL query returns rows.",
  description: [
    "Every `interval` the trigger runs `sql`; when it returns at least one row, an execution starts with",
    "the result as `trigger.row` (FETCH_ONE), `trigger.rows` (FETCH) or `trigger.uri` (STORE, an ION file)",
    "and `trigger.size`. With fetchType NONE no rows are read, so no execution starts: use FETCH_ONE, FETCH",
    "or STORE. Mark the rows as processed in the flow (or filter on a date) so the next poll does not",
    "start another execution for them. A poll that fails (refused address, bad SQL) is logged on the",
    "trigger and tried again at the next interval.",
  ].join("\n"),
  schema: z.object({
    ...connectionShape(MYSQL_URL),
    sql: z.string().min(1).describe("The query to poll with."),
    ...fetchShape,
    interval: duration.default("PT60S").describe("How often to poll (ISO-8601 duration)."),
  }),
  outputs: z.object(resultOutputs),
  async poll(ctx) {
    const p = ctx.properties;
    const store = () => {
      if (!ctx.services.storage)
        throw new Error("fetchType STORE needs the internal storage, which this engine does not provide");
      return { storage: ctx.services.storage, uri: triggerFileUri(ctx.flow, ctx.trigger.id) };
    };
    const result = await withMysql(p, ctx.services, ctx.signal, (client) =>
      runStatement(client, p.sql, p.parameters, p, store),
    );
    const variables = triggerVariables(result);
    return variables ? { variables } : undefined;
  },
  examples: [
    {
      title: "Start a flow for each batch of new orders, then mark them processed",
      flow: `id: postgres_trigger
namespace: company.team

tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.size }} new orders: {{ trigger.rows }}"
  - id: mark
    type: io.kestra.plugin.jdbc.mysql.Query
    url: ${MYSQL_URL}
    username: "{{ secret('MYSQL_USERNAME') }}"
    password: "{{ secret('MYSQL_PASSWORD') }}"
    sql: update orders set processed = true where id <= :last and not processed
    parameters:
      last: "{{ trigger.rows[trigger.size - 1].id }}"

triggers:
  - id: new_orders
    type: io.kestra.plugin.jdbc.mysql.Trigger
    url: ${MYSQL_URL}
    username: "{{ secret('MYSQL_USERNAME') }}"
    password: "{{ secret('MYSQL_PASSWORD') }}"
    sql: select id, amount from orders where not processed order by id
    fetchType: FETCH
    interval: PT1M
`,
    },
  ],
});
