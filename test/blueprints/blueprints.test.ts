// Every blueprint of the gallery validates without an error or a warning, and runs on the real embedded
// engine (a fresh database, the built-in plugins) with the inputs its metadata gives, to the state and
// outputs its metadata declares. Outside calls go to a local HTTP server started here: `${TEST_SERVER}` (and `${TEST_POSTGRES_URL}`, `_USER`, `_PASSWORD`: the engine's test database) in
// a blueprint's test inputs or KV entries is its URL, with a path prefix of the blueprint's own so counters
// and recorded requests are per blueprint while the blueprints run concurrently. Emails go to a local SMTP
// server (smtp-server) whose port is `${TEST_SMTP_PORT}`; it records each message's subject and attachments.
// Git repositories are served by git http-backend at `${TEST_GIT_URL}` (see TEST_GIT_URL for what they hold).
// S3 is moto's server (test/moto.ts) at `${TEST_S3_ENDPOINT}` with a bucket `orders-exports` and the key
// `${TEST_S3_ACCESS_KEY_ID}` / `${TEST_S3_SECRET_ACCESS_KEY}`; without moto those blueprints report skipped.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Execution } from "@/engine/executor";
import { loadFlow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import {
  type CatalogBlueprint,
  loadCatalog,
  TEST_GIT_URL,
  TEST_S3_ACCESS_KEY_ID,
  TEST_S3_ENDPOINT,
  TEST_S3_SECRET_ACCESS_KEY,
  TEST_SERVER,
  TEST_SMTP_PORT,
} from "@/server/services/blueprint-catalog";
import { databaseKvStore } from "@/worker/embedded/kv-store";
import { pollUntil, setUpEmbeddedEngine, TENANT } from "@/worker/embedded/test/harness";
import { LocalProcessRunner } from "@/worker/runners";
import { MOTO_AVAILABLE, startMoto, type TestS3 } from "../moto";
import { startGitServer } from "../plugins/git-server";

vi.setConfig({ maxConcurrency: 12 });

const root = fileURLToPath(new URL("../../blueprints/", import.meta.url));
const registry = builtInRegistry();
const catalog = loadCatalog(root, registry);

const secrets = new Map<string, string>();
for (const blueprint of catalog)
  for (const [name, value] of Object.entries(blueprint.test.secrets ?? {})) secrets.set(name, value);

const h = setUpEmbeddedEngine({
  secret: async (_tenant, _namespace, name) => {
    const value = secrets.get(name);
    return value === undefined ? undefined : withDatabase(value);
  },
  secretValues: async () => [...secrets.values()].map(withDatabase),
  // The blueprints' outside calls go to the local test server below: allow that one address only.
  httpPolicy: () => ({ allowPrivateNetworks: false, allowedNetworks: ["127.0.0.1/32"] }),
  // Sandboxed as in production, but on the machine's network: git.Clone runs git in the script sandbox,
  // and the test git server listens on this machine's loopback, which an isolated network cannot reach.
  processRunner: new LocalProcessRunner({ network: "host" }),
});

// ---- the local test server -------------------------------------------------------------------------
const USERS = [
  { id: 1, name: "Ada Lovelace", email: "Ada@Example.com", age: 36 },
  { id: 2, name: "Alan Turing", email: "alan@example.com", age: 28 },
  { id: 3, name: "Grace Hopper", email: "grace@example.com", age: 45 },
  { id: 4, name: "Young Coder", email: "young@example.com", age: 17 },
  { id: 5, name: "Edsger Dijkstra", email: "edsger@example.com", age: 52 },
];
const ORDERS = [
  { order_id: 1, customer: "ada", amount: 12.5 },
  { order_id: 2, customer: "alan", amount: 7 },
  { order_id: 3, customer: "grace", amount: 30 },
  { order_id: 3, customer: "grace", amount: 30 },
  { order_id: 4, customer: "edsger", amount: 15 },
  { order_id: 5, customer: "ada", amount: 3 },
];
/** "METHOD /path" of every request, by blueprint id. */
const received = new Map<string, string[]>();
const counters = new Map<string, number>();

interface Reply {
  status?: number;
  type?: string;
  body: string;
}
const json = (value: unknown, status = 200): Reply => ({
  status,
  type: "application/json",
  body: JSON.stringify(value),
});
const text = (body: string, type = "text/plain"): Reply => ({ type, body });

/** The test server's answer to `route` (the path without its `/bp/<blueprint id>` prefix). */
function reply(request: IncomingMessage, url: URL, route: string, count: number): Reply {
  if (route === "/users") return json(USERS);
  if (route === "/orders.jsonl") return text(`${ORDERS.map((o) => JSON.stringify(o)).join("\n")}\n`);
  if (route === "/orders.csv")
    return text(
      `order_id,customer,amount\n${ORDERS.map((o) => `${o.order_id},${o.customer},${o.amount}`).join("\n")}\n`,
      "text/csv",
    );
  if (route === "/report.txt") return text("Quarterly report\nAll systems nominal.\n");
  // A model server speaking OpenAI's chat completions API (the AI blueprints' baseUrl is `.../v1`).
  if (route === "/v1/chat/completions" && request.method === "POST")
    return request.headers.authorization === `Bearer ${secrets.get("OPENAI_API_KEY")}`
      ? json({
          id: "chatcmpl-blueprint",
          object: "chat.completion",
          model: "gpt-4o-mini",
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: "All systems nominal this quarter." },
              finish_reason: "stop",
            },
          ],
          usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
        })
      : json({ error: { message: "Incorrect API key provided" } }, 401);
  if (route === "/notify" && request.method === "POST") return json({ ok: true });
  if (route === "/flaky") return count <= 2 ? json({ error: "busy" }, 503) : json({ ok: true });
  if (route === "/status") return json({ status: "ready" });
  if (route.startsWith("/jobs/")) return json({ status: count >= 3 ? "done" : "running" });
  if (route === "/items") {
    const since = Number(url.searchParams.get("since") ?? 0);
    return json([1, 2, 3].filter((n) => n > since).map((n) => ({ id: n, name: `item ${n}` })));
  }
  if (route === "/me")
    return request.headers.authorization === `Bearer ${secrets.get("API_TOKEN")}`
      ? json({ user: "ada" })
      : json({ message: "unauthorized" }, 401);
  return json({ message: `no route ${route}` }, 404);
}

function respond(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? "/", "http://localhost");
  const [, prefix, id, ...rest] = url.pathname.split("/");
  let answer: Reply = { status: 404, body: "" };
  if (prefix === "bp" && id) {
    const route = `/${rest.join("/")}`;
    received.set(id, [...(received.get(id) ?? []), `${request.method} ${route}`]);
    const count = (counters.get(`${id}${route}`) ?? 0) + 1;
    counters.set(`${id}${route}`, count);
    answer = reply(request, url, route, count);
  }
  response.writeHead(answer.status ?? 200, { "content-type": answer.type ?? "text/plain" }).end(answer.body);
}

// ---- the local SMTP server ---------------------------------------------------------------------------
/** The emails received: subject and attachment file names. */
const mails: { subject: string; attachments: string[] }[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  allowInsecureAuth: true,
  disabledCommands: ["STARTTLS"],
  onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
  onData(stream, _session, callback) {
    simpleParser(stream).then((mail) => {
      mails.push({
        subject: mail.subject ?? "",
        attachments: mail.attachments.map((a) => a.filename ?? ""),
      });
      callback();
    }, callback);
  },
});
let smtpPort = 0;

// ---- the local git server ----------------------------------------------------------------------------
const gitRoot = mkdtempSync(join(tmpdir(), "cadenza-blueprint-git-"));
let git: { server: Server; url: string } | undefined;

/** `scripts.git`: a script that counts the data rows of a CSV file and reports them as an output. */
function makeScriptsRepository(): void {
  const run = (cwd: string, ...args: string[]) =>
    execFileSync("git", ["-c", "user.name=ci", "-c", "user.email=ci@example.com", ...args], {
      cwd,
      stdio: "pipe",
    });
  run(gitRoot, "init", "--bare", "-b", "main", "scripts.git");
  const work = join(gitRoot, "work");
  run(gitRoot, "clone", join(gitRoot, "scripts.git"), "work");
  mkdirSync(join(work, "etl"));
  mkdirSync(join(work, "data"));
  writeFileSync(
    join(work, "etl", "count_rows.sh"),
    'rows=$(($(wc -l < "$1") - 1))\necho "counted $rows rows"\necho "::{\\"outputs\\": {\\"rows\\": $rows}}::"\n',
  );
  writeFileSync(join(work, "data", "orders.csv"), "id,amount\n1,10\n2,20\n3,30\n");
  run(work, "add", ".");
  run(work, "commit", "-m", "count rows");
  run(work, "push", "origin", "HEAD:main");
}

let server: Server;
let base = "";
let s3: TestS3 | undefined;
/** Whether a program is on the PATH scripts get (worker/runners/environment.ts: system directories only). */
const onScriptPath = (program: string) =>
  ["/usr/local/bin", "/usr/bin", "/bin"].some((dir) => existsSync(join(dir, program)));

/** Whether a blueprint's test uses the S3 server, which is there only where moto is installed. */
const needsS3 = (blueprint: CatalogBlueprint) =>
  [TEST_S3_ENDPOINT, TEST_S3_ACCESS_KEY_ID, TEST_S3_SECRET_ACCESS_KEY].some((placeholder) =>
    JSON.stringify(blueprint.test).includes(placeholder),
  );
beforeAll(async () => {
  if (MOTO_AVAILABLE) {
    s3 = await startMoto();
    await s3.createBucket("orders-exports");
  }
  makeScriptsRepository();
  git = await startGitServer(gitRoot, { username: "blueprints", password: "blueprint-git-token" });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  server = createServer((request, response) => {
    request.resume(); // the bodies of POSTs are not needed, only that they came
    request.on("end", () => respond(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await h.startRuntime({ concurrency: 16 });
  const kv = databaseKvStore(h.pool, TENANT, () => new Date());
  for (const blueprint of catalog) {
    for (const [key, value] of Object.entries(blueprint.test.kv ?? {}))
      await kv.set(blueprint.namespace, key, withServer(value, blueprint.id));
  }
  for (const blueprint of catalog) {
    for (const [target, allowed] of Object.entries(blueprint.test.allowedNamespaces ?? {}))
      await h.pool.query(
        `insert into namespaces (tenant_id, name, allowed_namespaces) values ($1, $2, $3)
         on conflict (tenant_id, name) do update set allowed_namespaces = excluded.allowed_namespaces`,
        [TENANT, target, allowed],
      );
  }
  for (const blueprint of catalog) {
    for (const companion of blueprint.companions) await h.deploy(companion.source);
    await h.deploy(blueprint.source);
  }
}, 120_000);
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise<void>((resolve) => (git ? git.server.close(() => resolve()) : resolve()));
  rmSync(gitRoot, { recursive: true, force: true });
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await s3?.stop();
});

function withServer<T>(value: T, id: string): T {
  if (typeof value === "string")
    return withDatabase(
      value
        .replaceAll(TEST_SERVER, `${base}/bp/${id}`)
        .replaceAll(TEST_SMTP_PORT, String(smtpPort))
        .replaceAll(TEST_GIT_URL, git?.url ?? ""),
    ) as T;
  return value;
}

/**
 * `${TEST_POSTGRES_URL}`, `_USER` and `_PASSWORD`: the engine's own test database as a JDBC URL (on
 * 127.0.0.1, which the policy above allows) and its credentials, for the JDBC blueprints.
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder in YAML, not a JavaScript template
const PG_URL = "${TEST_POSTGRES_URL}";
// biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder in YAML, not a JavaScript template
const PG_USER = "${TEST_POSTGRES_USER}";
// biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder in YAML, not a JavaScript template
const PG_PASSWORD = "${TEST_POSTGRES_PASSWORD}";

function withDatabase(value: string): string {
  const url = new URL(h.database.url);
  const host = url.hostname === "localhost" ? "127.0.0.1" : url.hostname;
  return value
    .replaceAll(TEST_S3_ENDPOINT, s3?.endpoint ?? "")
    .replaceAll(TEST_S3_ACCESS_KEY_ID, s3?.credentials.accessKeyId ?? "")
    .replaceAll(TEST_S3_SECRET_ACCESS_KEY, s3?.credentials.secretAccessKey ?? "")
    .replaceAll(PG_URL, `jdbc:postgresql://${host}:${url.port}${url.pathname}`)
    .replaceAll(PG_USER, decodeURIComponent(url.username))
    .replaceAll(PG_PASSWORD, decodeURIComponent(url.password));
}

// ---- running one blueprint ---------------------------------------------------------------------------
const ENDED = ["SUCCESS", "WARNING", "FAILED", "KILLED", "CANCELLED"];

async function endedExecutionOf(flowId: string, timeoutMs = 60_000): Promise<Execution> {
  const rows = await pollUntil(
    () =>
      h.query<{ id: string }>("select id from executions where flow_id = $1 and state = any($2)", [
        flowId,
        ENDED,
      ]),
    (found) => found.length > 0,
    timeoutMs,
    100,
  );
  const id = rows[0]?.id;
  if (!id) throw new Error(`no ended execution of ${flowId} within ${timeoutMs} ms`);
  return (await h.client.get(TENANT, id)) as Execution;
}

/** The error lines of an execution, to say why it ended in a state it should not have. */
async function errorsOf(execution: Execution): Promise<string> {
  const logs = await h.client.logs(TENANT, execution.id);
  const errors = logs.filter((l) => l.level === "ERROR" || l.level === "WARN");
  return `its errors: ${errors.map((l) => `${l.taskId ?? "-"}: ${l.message}`).join(" | ") || "none"}`;
}

async function run(blueprint: CatalogBlueprint): Promise<Execution | undefined> {
  const spec = blueprint.test;
  const inputs = Object.fromEntries(
    Object.entries(spec.inputs ?? {}).map(([key, value]) => [key, withServer(value, blueprint.id)]),
  );
  if (spec.webhook) {
    const result = await h.client.webhook(
      TENANT,
      blueprint.namespace,
      blueprint.flowId,
      spec.webhook.key,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        query: {},
        body: JSON.stringify(spec.webhook.body),
      },
      { waitTimeoutMs: 60_000 },
    );
    if (result.status !== "started") throw new Error(`the webhook answered ${result.status}`);
    return h.client.waitForEnd(TENANT, result.execution.id, 60_000);
  }
  if (!spec.state) return undefined; // only a trigger's execution is expected
  const target = spec.start ?? { namespace: blueprint.namespace, flowId: blueprint.flowId };
  const started: Execution[] = [];
  for (let i = 0; i < (spec.runs ?? 1); i++)
    started.push(await h.client.start(TENANT, target.namespace, target.flowId, { inputs }));
  if (spec.resume) {
    const first = started[0] as Execution;
    await pollUntil(
      async () => (await h.client.get(TENANT, first.id))?.state.current,
      (state) => state === "PAUSED",
      60_000,
      100,
    );
    await h.client.operate(TENANT, first.id, { type: "resume", inputs: spec.resume });
  }
  const ended = await Promise.all(started.map((e) => h.client.waitForEnd(TENANT, e.id, 60_000)));
  if (ended.length > 1) {
    // A concurrency limit of 1 makes every execution after the first wait in QUEUED.
    const queued = ended.filter((e) => e.state.histories.some((x) => x.state === "QUEUED"));
    expect(queued.length, "executions that waited in QUEUED").toBe(ended.length - 1);
  }
  for (const e of ended)
    expect(e.state.current, `final state of ${e.id}; ${await errorsOf(e)}`).toBe(spec.state);
  return ended[0];
}

describe("the blueprint gallery", () => {
  it("has at least 40 blueprints, with unique flow ids, each with a title, tags and a description", () => {
    expect(catalog.length).toBeGreaterThanOrEqual(40);
    const ids = catalog.flatMap((b) => [
      `${b.namespace}.${b.flowId}`,
      ...b.companions.map((c) => {
        const { flow } = loadFlow(c.source, { registry });
        return `${flow?.namespace}.${flow?.id}`;
      }),
    ]);
    expect(new Set(ids).size, "flow ids are unique across the gallery").toBe(ids.length);
    for (const b of catalog) expect(b.description.length, b.id).toBeGreaterThan(200);
    // The inputs a blueprint is tried with are inputs of the flow it starts.
    for (const b of catalog) {
      const started = b.test.start
        ? b.companions
            .map((c) => loadFlow(c.source, { registry }).flow)
            .find((f) => f?.id === b.test.start?.flowId)
        : loadFlow(b.source, { registry }).flow;
      const declared = (started?.inputs ?? []).map((input) => input.id);
      expect(declared, `inputs of ${b.id}`).toEqual(expect.arrayContaining(Object.keys(b.test.inputs ?? {})));
    }
  });

  describe.concurrent.each(catalog.map((b) => [b.id, b] as const))("%s", (_id, blueprint) => {
    it("validates with no error and no warning", ({ expect }) => {
      for (const source of [blueprint.source, ...blueprint.companions.map((c) => c.source)]) {
        const { flow, errors, warnings } = loadFlow(source, { registry });
        expect(errors.map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([]);
        expect(warnings.map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([]);
        expect(flow).toBeDefined();
      }
    });

    it("runs to the state its metadata declares", async ({ expect, skip }) => {
      if (needsS3(blueprint) && !s3) skip("needs moto (npm run moto:install)");
      for (const tool of blueprint.test.tools ?? [])
        if (!onScriptPath(tool)) skip(`needs ${tool} on the machine (in /usr/local/bin, /usr/bin or /bin)`);
      const spec = blueprint.test;
      const execution = await run(blueprint);
      if (spec.state && !execution) throw new Error("no execution");
      if (execution) {
        expect(execution.state.current, "final state").toBe(spec.state);
        if (spec.outputs) expect(execution.outputs, "flow outputs").toMatchObject(spec.outputs);
        const labels = Object.fromEntries((execution.labels ?? []).map((l) => [l.key, l.value]));
        if (spec.labels) expect(labels, "labels").toMatchObject(spec.labels);
        for (const taskId of spec.notRun ?? [])
          expect(
            execution.taskRunList.map((r) => r.taskId),
            "tasks run",
          ).not.toContain(taskId);
      }
      if (spec.triggered) {
        const triggered = await endedExecutionOf(spec.triggered.flowId);
        expect(triggered.state.current, `state of ${spec.triggered.flowId}`).toBe(spec.triggered.state);
      }
      for (const request of spec.requests ?? []) {
        await pollUntil(
          async () => received.get(blueprint.id) ?? [],
          (seen) => seen.includes(request),
          10_000,
          100,
        );
        expect(received.get(blueprint.id) ?? [], "requests to the test server").toContain(request);
      }
      for (const mail of spec.mails ?? []) {
        const found = await pollUntil(
          async () => mails.find((m) => m.subject === mail.subject),
          (seen) => seen !== undefined,
          10_000,
          100,
        );
        expect(found, `an email with the subject '${mail.subject}'`).toBeDefined();
        if (mail.attachments) expect(found?.attachments, "its attachments").toEqual(mail.attachments);
      }
    }, 120_000);
  });
});
