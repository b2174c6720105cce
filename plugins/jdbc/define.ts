// Query, Queries and the polling Trigger, defined once for every database: what differs between
// PostgreSQL and MySQL is how a connection is opened, a statement run and a transaction held (the
// dialect's client), its placeholder and quoting rules, and the words of the docs. The two copies
// this replaces had drifted already (the MySQL examples carried PostgreSQL's flow ids).
import { z } from "zod";
import { definePlugin, duration, type TaskRunContext, type TaskServices } from "@/engine/plugin";
import { requireStorage, taskFileUri } from "../core/storage/files";
import type { EmbeddedRun, EmbeddedTarget } from "./embedded";
import {
  connectionShape,
  type FetchType,
  fetchShape,
  type JdbcConnection,
  queryShape,
  resultOutputs,
  type StatementResult,
  type StoreTarget,
  triggerFileUri,
  triggerVariables,
} from "./shared";
import { type Dialect, splitStatements } from "./sql";

export interface JdbcClient<C> {
  /** Runs `work` on a connection to the URL's database, closed afterwards whatever happens. */
  withClient<T>(
    p: JdbcConnection & { embedded?: EmbeddedTarget },
    services: TaskServices,
    signal: AbortSignal,
    work: (client: C) => Promise<T>,
  ): Promise<T>;
  /** One statement, its `:name` parameters bound, its rows handled as `fetchType` says. */
  runStatement(
    client: C,
    sql: string,
    parameters: Record<string, unknown> | undefined,
    fetch: { fetchType: FetchType; fetchSize: number },
    store: () => StoreTarget,
  ): Promise<StatementResult>;
  /** Runs `work` in a transaction: committed when it succeeds, rolled back when it throws. */
  inTransaction<T>(client: C, work: () => Promise<T>): Promise<T>;
}

export interface JdbcDatabase<C> {
  /** Kestra's package under io.kestra.plugin.jdbc: `postgresql`, `mysql`. */
  pkg: string;
  /** Other packages with the same tasks under their own names (Kestra's plugin-jdbc-mariadb). */
  aliasPkgs?: string[];
  /** The database's name in titles: `PostgreSQL`. */
  product: string;
  exampleUrl: string;
  /** The prefix of the examples' secrets: `POSTGRES` gives `POSTGRES_USERNAME`. */
  secretPrefix: string;
  /** Lines of Query's description after the common ones: what the URL accepts, how values map. */
  valueNotes: string[];
  /** Where `;` does not split a Queries script, and what else Queries should say. */
  splitNote: string;
  /** The Queries example's table definition. */
  exampleTable: string;
  dialect: Dialect;
  client: JdbcClient<C>;
  /**
   * Embedded databases (DuckDB, SQLite), which run inside the engine on files: their connection
   * properties (replacing url/username/password), the properties and outputs they add (input and output
   * files, the database file), and how a run is opened. Their `sql` is rendered by the task itself, with
   * `{{ workingDir }}` and `{{ outputFiles.x }}`.
   */
  embedded?: {
    connection: z.ZodRawShape;
    shape: z.ZodRawShape;
    outputs: z.ZodRawShape;
    open(ctx: TaskRunContext<unknown>, p: Record<string, unknown>): Promise<EmbeddedRun>;
  };
}

/** Runs `work` inside an embedded run when the database has one; its outputs are added to the result. */
async function withRun<T extends object>(
  db: JdbcDatabase<unknown>,
  ctx: TaskRunContext<unknown>,
  p: Record<string, unknown>,
  work: (run: EmbeddedRun | undefined, render: (sql: string) => Promise<string>) => Promise<T>,
): Promise<T> {
  if (!db.embedded) return work(undefined, async (sql) => sql);
  const run = await db.embedded.open(ctx, p);
  try {
    const result = await work(run, async (sql) => String(await ctx.render(sql, run.variables)));
    return { ...result, ...(await run.finish()) };
  } finally {
    await run.dispose();
  }
}

/** Query, Queries and Trigger for one database. */
export function defineJdbcPlugins<C>(db: JdbcDatabase<C>) {
  const { client, pkg } = db;
  const type = (task: string) => `jdbc.${pkg}.${task}`;
  const aliases = (task: string) =>
    (db.aliasPkgs ?? []).map((alias) => `io.kestra.plugin.jdbc.${alias}.${task}`);
  const connect = (task: string) => `    type: io.kestra.plugin.jdbc.${pkg}.${task}
    url: ${db.exampleUrl}
    username: "{{ secret('${db.secretPrefix}_USERNAME') }}"
    password: "{{ secret('${db.secretPrefix}_PASSWORD') }}"`;
  // An embedded database's connection shape has the same keys (url with a default, the rest ignored).
  const connection = (db.embedded?.connection ?? connectionShape(db.exampleUrl)) as ReturnType<
    typeof connectionShape
  >;
  const extra = (db.embedded?.shape ?? {}) as Record<never, z.ZodType>;
  const extraOutputs = (db.embedded?.outputs ?? {}) as Record<never, z.ZodType>;
  const raw = db.embedded ? { rawProperties: ["sql", "afterSQL"] } : {};
  const generic = db as JdbcDatabase<unknown>;

  const query = definePlugin({
    type: type("Query"),
    ...(db.aliasPkgs ? { aliases: aliases("Query") } : {}),
    kind: "runnable",
    title: `Run a SQL statement on ${db.product}.`,
    description: [
      "Connects to the database of `url`, runs `sql` (its `:name` placeholders bound to `parameters`) and",
      "returns its rows as `fetchType` says: the first as `row`, all as `rows`, or an ION file as `uri`,",
      "read through a cursor `fetchSize` rows at a time. `afterSQL` runs in the same transaction.",
      "",
      ...db.valueNotes,
    ].join("\n"),
    schema: z.object({ ...connection, ...queryShape, ...extra }),
    outputs: z.object({ ...resultOutputs, ...extraOutputs }),
    ...raw,
    examples: [
      {
        title: "Fetch the orders of the day, then store all customers as an ION file",
        flow: `id: ${pkg}_query
namespace: company.team

tasks:
  - id: orders
${connect("Query")}
    sql: select id, amount from orders where created_on = :day
    parameters:
      day: "{{ now() | date('yyyy-MM-dd') }}"
    fetchType: FETCH

  - id: customers
${connect("Query")}
    sql: select * from customers
    fetchType: STORE
`,
      },
    ],
    async run(ctx) {
      const p = ctx.properties;
      const store = () => ({
        storage: requireStorage(ctx, type("Query")),
        uri: taskFileUri(ctx, `${ctx.task.id}.ion`),
      });
      const outputs = await withRun(generic, ctx, p, async (run, render) => {
        const sql = await render(p.sql);
        const afterSQL = p.afterSQL === undefined ? undefined : await render(p.afterSQL);
        const target = run ? { ...p, embedded: run.target } : p;
        return client.withClient(target, ctx.services, ctx.signal, async (c) => {
          if (!afterSQL) return client.runStatement(c, sql, p.parameters, p, store);
          return client.inTransaction(c, async () => {
            const result = await client.runStatement(c, sql, p.parameters, p, store);
            await client.runStatement(
              c,
              afterSQL,
              p.parameters,
              { fetchType: "NONE", fetchSize: p.fetchSize },
              store,
            );
            return result;
          });
        });
      });
      return { outputs: { ...outputs } };
    },
  });

  const queries = definePlugin({
    type: type("Queries"),
    ...(db.aliasPkgs ? { aliases: aliases("Queries") } : {}),
    kind: "runnable",
    title: `Run several SQL statements on ${db.product}.`,
    description: [
      `Splits \`sql\` on \`;\` (${db.splitNote}) and runs each statement in turn, in one transaction unless`,
      "`transaction` is false. With a `fetchType` other than NONE, `outputs` holds one result per statement",
      "(`row`, `rows` or `uri`, and `size`), in order. Values map as in Query.",
    ].join("\n"),
    schema: z.object({
      ...connection,
      sql: z.string().min(1).describe("The statements to run, separated by `;`."),
      ...fetchShape,
      transaction: z
        .boolean()
        .default(true)
        .describe("Run every statement in one transaction (rolled back when one fails)."),
      ...extra,
    }),
    outputs: z.object({
      outputs: z.array(z.object(resultOutputs)).describe("One result per statement, in order."),
      ...extraOutputs,
    }),
    ...raw,
    examples: [
      {
        title: "Create a table, fill it and read it back",
        flow: `id: ${pkg}_queries
namespace: company.team

tasks:
  - id: init_products
${connect("Queries")}
    sql: |
      create table if not exists products (${db.exampleTable});
      insert into products (name) values ('kettle'), ('toaster');
      select count(*) as count from products;
    fetchType: FETCH_ONE
`,
      },
    ],
    async run(ctx) {
      const p = ctx.properties;
      const outputs = await withRun(generic, ctx, p, async (run, render) => {
        const statements = splitStatements(await render(p.sql), db.dialect);
        if (statements.length === 0) throw new Error("sql has no statement");
        const target = run ? { ...p, embedded: run.target } : p;
        const results = await client.withClient(target, ctx.services, ctx.signal, async (c) => {
          const all = async () => {
            const out: StatementResult[] = [];
            for (const [index, statement] of statements.entries()) {
              const store = () => ({
                storage: requireStorage(ctx, type("Queries")),
                uri: taskFileUri(ctx, `${ctx.task.id}_${index}.ion`),
              });
              const result = await client.runStatement(c, statement, p.parameters, p, store);
              if (p.fetchType !== "NONE") out.push(result);
            }
            return out;
          };
          return p.transaction ? client.inTransaction(c, all) : all();
        });
        return { outputs: results };
      });
      return { outputs };
    },
  });

  const trigger = definePlugin({
    type: type("Trigger"),
    ...(db.aliasPkgs ? { aliases: aliases("Trigger") } : {}),
    kind: "trigger",
    title: `Start an execution when a ${db.product} query returns rows.`,
    description: [
      "Every `interval` the trigger runs `sql`; when it returns at least one row, an execution starts with",
      "the result as `trigger.row` (FETCH_ONE), `trigger.rows` (FETCH) or `trigger.uri` (STORE, an ION file)",
      "and `trigger.size`. With fetchType NONE no rows are read, so no execution starts: use FETCH_ONE, FETCH",
      "or STORE. Mark the rows as processed in the flow (or filter on a date) so the next poll does not",
      "start another execution for them. A poll that fails (refused address, bad SQL) is logged on the",
      "trigger and tried again at the next interval.",
    ].join("\n"),
    schema: z.object({
      ...connection,
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
      const result = await client.withClient(p, ctx.services, ctx.signal, (c) =>
        client.runStatement(c, p.sql, p.parameters, p, store),
      );
      const variables = triggerVariables(result);
      return variables ? { variables } : undefined;
    },
    examples: [
      {
        title: "Start a flow for each batch of new orders, then mark them processed",
        flow: `id: ${pkg}_trigger
namespace: company.team

tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.size }} new orders: {{ trigger.rows }}"
  - id: mark
${connect("Query")}
    sql: update orders set processed = true where id <= :last and not processed
    parameters:
      last: "{{ trigger.rows[trigger.size - 1].id }}"

triggers:
  - id: new_orders
${connect("Trigger")}
    sql: select id, amount from orders where not processed order by id
    fetchType: FETCH
    interval: PT1M
`,
      },
    ],
  });

  return { query, queries, trigger };
}
