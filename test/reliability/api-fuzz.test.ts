// Proof under hostile input (issue 18): the REST API fuzzed from its own OpenAPI document by schemathesis
// (PyPI, `npm run schemathesis:install`; .ci/run does it), with tenant A's token, against the real REST
// handler served on a port. Checks: no 5xx (not_a_server_error), no stack trace or source path in any body,
// and none of tenant B's identifiers (random strings: its namespace, flow id, execution id, KV key, secret
// name and value) in any answer to A. Reported skipped where schemathesis is not installed.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleRest } from "@/server/rest/handler";
import { openApiDocument } from "@/server/rest/openapi";
import { router, routes } from "@/server/rest/routes";
import { setUpApi } from "@/test/api/harness";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TARGET = path.join(ROOT, ".schemathesis");
const STAMP = path.join(TARGET, "cadenza-schemathesis-version");
const REPORT_DIR = path.join(ROOT, "test-results", "reliability");
/** Written by the test: tenant A for every call, and both tenants' identifiers to draw path parameters from. */
const CONFIG = path.join(REPORT_DIR, "schemathesis.toml");
const AVAILABLE = existsSync(STAMP) && existsSync(path.join(TARGET, "schemathesis", "cli", "__init__.py"));

/** Test cases per operation and each run's time budget: both fit in about two and a half minutes on CI. */
const MAX_EXAMPLES = Number(process.env.CADENZA_FUZZ_EXAMPLES ?? 12);
const COVERAGE_SECONDS = Number(process.env.CADENZA_FUZZ_COVERAGE_SECONDS ?? 60);
const FUZZING_SECONDS = Number(process.env.CADENZA_FUZZ_SECONDS ?? 75);
// Each test's timeout is its run's budget plus the start-up and the checks, so a longer local run can be asked for.

const FETCH_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** A random identifier that cannot appear anywhere by chance. */
const unique = (prefix: string) => `${prefix}${randomBytes(6).toString("hex")}`;

const flowYaml = (namespace: string, id: string, key: string) => `id: ${id}
namespace: ${namespace}
inputs:
  - id: who
    type: STRING
    defaults: world
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "hello {{ inputs.who }}"
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: ${key}
`;

describe.skipIf(!AVAILABLE)("the REST API under schemathesis", () => {
  const api = setUpApi({ runtime: true });
  let server: http.Server;
  let base = "";
  let tokenA = "";
  const tenantA = unique("fuzza");
  const tenantB = unique("fuzzb");
  /** Everything of tenant B's that must never reach tenant A. */
  const foreign: string[] = [];

  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      // Methods Fetch cannot carry (TRACE, CONNECT) never reach a route handler: Next answers them too.
      if (!FETCH_METHODS.has(req.method ?? "")) {
        res.writeHead(405).end();
        return;
      }
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const request = new Request(url, {
        method: req.method ?? "GET",
        headers,
        ...(hasBody ? { body: req as unknown as ReadableStream, duplex: "half" } : {}),
      } as RequestInit);
      try {
        const response =
          url.pathname === "/api/v1/openapi.json"
            ? Response.json(openApiDocument(routes))
            : await handleRest(request, {
                db: api.database.db,
                engine: async () => api.engine,
                session: async () => null,
                router,
              });
        res.writeHead(response.status, Object.fromEntries(response.headers));
        // Streams (`/follow`) are cut after a moment: the fuzzer only needs their first answer.
        const cut = setTimeout(() => res.end(), 500);
        const reader = response.body?.getReader();
        for (let read = await reader?.read(); reader && read && !read.done; read = await reader.read())
          if (!res.writableEnded) res.write(read.value);
          else await reader.cancel();
        clearTimeout(cut);
        res.end();
      } catch (error) {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // Two tenants with the same kinds of data: a flow (with a webhook), an execution, a KV entry, a secret.
    const seed = async (tenant: string) => {
      const { token } = await api.admin(tenant, `admin@${tenant}.example.com`);
      const namespace = `${unique("ns")}.${unique("team")}`;
      const flowId = unique("flow");
      const kvKey = unique("kv");
      const kvValue = unique("kvvalue");
      const secretName = unique("SECRET").toUpperCase();
      const secretValue = unique("secretvalue");
      const webhookKey = unique("hook");
      await api.deploy(tenant, token, flowYaml(namespace, flowId, webhookKey));
      const started = await api.call("POST", `${tenant}/executions/${namespace}/${flowId}?wait=true`, {
        token,
      });
      expect(started.status).toBe(200);
      const executionId = (started.json as { id: string }).id;
      const ok = (r: { status: number; text: string }) => expect(r.status, r.text).toBeLessThan(300);
      ok(
        await api.call("PUT", `${tenant}/namespaces/${namespace}/kv/${kvKey}`, {
          token,
          body: { v: kvValue },
        }),
      );
      ok(
        await api.call("PUT", `${tenant}/namespaces/${namespace}/secrets/${secretName}`, {
          token,
          body: { value: secretValue },
        }),
      );
      return {
        token,
        ids: { namespace, flowId, executionId, key: kvKey, secretName, webhookKey },
        values: [namespace, flowId, kvKey, kvValue, secretName, secretValue, webhookKey, executionId],
      };
    };
    const a = await seed(tenantA);
    tokenA = a.token;
    const b = await seed(tenantB);
    foreign.push(tenantB, ...b.values);
    // Path parameters are drawn half the time from both tenants' real identifiers (A's reach real data,
    // B's must look like nothing), the other half generated.
    const pick = (name: keyof typeof a.ids) => JSON.stringify([a.ids[name], b.ids[name]]);
    const config = [
      `[dictionaries]`,
      ...(["namespace", "flowId", "executionId", "key"] as const).map(
        (name) => `${name} = { values = ${pick(name)} }`,
      ),
      `[parameters]`,
      `"path.tenant" = ${JSON.stringify(tenantA)}`,
      ...(["namespace", "flowId", "executionId", "key"] as const).map(
        (name) => `"path.${name}" = { dictionary = "${name}", probability = 0.5 }`,
      ),
    ];
    mkdirSync(REPORT_DIR, { recursive: true });
    writeFileSync(CONFIG, `${config.join("\n")}\n`);
  }, 120_000);

  afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())));

  /** One schemathesis run of the given phases; its whole report is kept in test-results/reliability/. */
  const schemathesis = async (phases: string, seconds: number) => {
    const args = [
      "-m",
      "schemathesis.cli",
      "--config-file",
      CONFIG,
      "run",
      `${base}/api/v1/openapi.json`,
      "--url",
      base,
      "--header",
      `Authorization: Bearer ${tokenA}`,
      "--checks",
      "not_a_server_error,no_stack_trace,no_foreign_data",
      "--max-examples",
      String(MAX_EXAMPLES),
      "--max-time",
      String(seconds),
      "--phases",
      phases,
      // One worker: with two threads, hypothesis' lambda descriptions hit CPython 3.11's "AST constructor
      // recursion depth mismatch" (an error of the tool, not of the API) now and then.
      "--workers",
      "1",
      "--request-timeout",
      "10",
      "--seed",
      String(Date.now() % 1_000_000),
      "--suppress-health-check",
      "all",
      "--no-color",
      "--output-truncate",
      "false",
    ];
    const child = spawn(process.env.PYTHON ?? "python3", args, {
      env: {
        ...process.env,
        // schemathesis itself, and the hooks module next to this file.
        PYTHONPATH: [TARGET, import.meta.dirname].join(path.delimiter),
        SCHEMATHESIS_HOOKS: "schemathesis_hooks",
        // No __pycache__ left next to the hooks in the source tree.
        PYTHONDONTWRITEBYTECODE: "1",
        CADENZA_FUZZ_FOREIGN: JSON.stringify(foreign),
      },
      // schemathesis keeps a cache in its working directory: the git-ignored reports folder.
      cwd: REPORT_DIR,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    writeFileSync(path.join(REPORT_DIR, `schemathesis-${phases.replace(/,/g, "-")}.txt`), output);
    const from = output.search(/^=+ (FAILURES|SUMMARY) =+$/m);
    const summary = output.slice(from >= 0 ? from : -4_000).slice(0, 30_000);
    process.stdout.write(`schemathesis ${readFileSync(STAMP, "utf8").trim()} (${phases}):\n${summary}\n`);
    // The summary's count of test cases: how many inputs were tried (the README's figure).
    const generated = Number(/(\d+) generated/.exec(output)?.[1] ?? Number.NaN);
    return { code, summary, generated };
  };

  // Two runs, so that neither starves the other of the time budget: the coverage phase (boundary and
  // negative values for every parameter, deterministic), then random fuzzing.
  it(
    "answers every boundary and invalid value without a 5xx, a stack trace or another tenant's data",
    async () => {
      const run = await schemathesis("examples,coverage", COVERAGE_SECONDS);
      expect(run.generated).toBeGreaterThan(0);
      expect(run.code, run.summary).toBe(0);
    },
    (COVERAGE_SECONDS + 180) * 1000,
  );

  it(
    "answers random requests without a 5xx, a stack trace or another tenant's data",
    async () => {
      const run = await schemathesis("fuzzing", FUZZING_SECONDS);
      expect(run.generated).toBeGreaterThan(0);
      expect(run.code, run.summary).toBe(0);
    },
    (FUZZING_SECONDS + 165) * 1000,
  );
});
