// Hostile input at the web boundary, against the real REST handler and the real tRPC HTTP handler on a
// database of their own: bodies past the size limit (413, read no further than the limit), billion-laughs
// YAML (422 with line and column, in milliseconds, on every path), NUL characters, deep JSON, bad upload
// file names and broken percent-encoding (400). Every answer is JSON with a message and no stack trace.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "@/cli/main";
import { handleTrpc } from "@/server/api/handler";
import { type BodyLimits, malformedTarget } from "@/server/input-limits";
import { handleRest } from "@/server/rest/handler";
import { router } from "@/server/rest/routes";
import { setUpApi } from "../api/harness";

const api = setUpApi();

const LIMITS: BodyLimits = { bodyBytes: 64 * 1024, uploadBytes: 256 * 1024 };
const CHUNK = 16 * 1024;

/** A body of `total` bytes in CHUNK-sized pieces, counting how many bytes the server pulled from it. */
function countedBody(total: number, fill = "a") {
  const counter = { pulled: 0 };
  const chunk = new TextEncoder().encode(fill.repeat(CHUNK));
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.pulled >= total) return controller.close();
        counter.pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

async function rest(
  method: string,
  path: string,
  init: {
    token?: string;
    body?: BodyInit;
    contentType?: string;
    headers?: Record<string, string>;
    limits?: BodyLimits;
  } = {},
) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.contentType) headers.set("content-type", init.contentType);
  const request = new Request(`http://cadenza.test/api/v1/${path}`, {
    method,
    headers,
    body: init.body,
    duplex: "half",
  } as RequestInit);
  const response = await handleRest(request, {
    db: api.database.db,
    engine: async () => api.engine,
    session: async () => null,
    router,
    limits: init.limits ?? LIMITS,
  });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as Record<string, unknown> };
}

async function trpc(
  procedure: string,
  token: string,
  body: BodyInit,
  headers: Record<string, string> = {},
  limits = LIMITS,
) {
  const request = new Request(`http://cadenza.test/api/trpc/${procedure}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body,
    duplex: "half",
  } as RequestInit);
  const response = await handleTrpc(request, {
    db: api.database.db,
    engine: async () => api.engine,
    session: async () => null,
    limits,
  });
  const text = await response.text();
  return { status: response.status, text };
}

/** A JSON error answer: a message, no stack trace, no internals. */
function expectCleanError(response: { text: string; json?: Record<string, unknown> }, message: RegExp) {
  expect(response.json?.message).toMatch(message);
  expect(response.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/);
}

const HELLO = `id: hello
namespace: company.team
inputs:
  - id: file
    type: FILE
    required: false
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: hello
`;

const LAUGHS = `id: lol
namespace: company.team
variables:
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ vars.i }}"
`;

const deepJson = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("hostile input at the web boundary", () => {
  let token = "";

  it("sets up a tenant and a flow", async () => {
    token = (await api.admin("acme", "admin@acme.test")).token;
    await api.deploy("acme", token, HELLO);
  });

  describe("body limits (413)", () => {
    it("refuses a chunked YAML body past the limit, having read no more than the limit and one chunk", async () => {
      const { stream, counter } = countedBody(200 * 1024 * 1024);
      const response = await rest("POST", "acme/flows", {
        token,
        body: stream,
        contentType: "application/x-yaml",
      });
      expect(response.status).toBe(413);
      expectCleanError(response, /larger than 65536 bytes/);
      expect(counter.pulled).toBeLessThanOrEqual(LIMITS.bodyBytes + CHUNK);
    });

    it("refuses a declared Content-Length past the limit without reading the body", async () => {
      const { stream, counter } = countedBody(200 * 1024);
      const response = await rest("PUT", "acme/namespaces/company.team/kv/big", {
        token,
        body: stream,
        contentType: "application/json",
        headers: { "content-length": String(200 * 1024) },
      });
      expect(response.status).toBe(413);
      expectCleanError(response, /larger than 65536 bytes/);
      expect(counter.pulled).toBeLessThanOrEqual(CHUNK);
    });

    it("refuses a chunked multipart upload past the upload limit as it streams", async () => {
      const { stream, counter } = countedBody(200 * 1024 * 1024);
      const response = await rest("POST", "acme/executions/company.team/hello", {
        token,
        body: stream,
        contentType: "multipart/form-data; boundary=xyz",
      });
      expect(response.status).toBe(413);
      expectCleanError(response, /larger than 262144 bytes/);
      expect(counter.pulled).toBeLessThanOrEqual(LIMITS.uploadBytes + CHUNK);
    });

    it("tRPC answers 413 to a chunked body past the limit, and to a declared one, reading no more", async () => {
      const chunked = countedBody(200 * 1024 * 1024, " ");
      const response = await trpc("flows.create", token, chunked.stream);
      expect(response.status).toBe(413);
      expect(response.text).toContain("PAYLOAD_TOO_LARGE");
      expect(response.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules/);
      expect(chunked.counter.pulled).toBeLessThanOrEqual(LIMITS.bodyBytes + CHUNK);

      const declared = countedBody(200 * 1024, " ");
      const refused = await trpc("flows.create", token, declared.stream, {
        "content-length": String(200 * 1024),
      });
      expect(refused.status).toBe(413);
      expect(declared.counter.pulled).toBeLessThanOrEqual(CHUNK);
    });

    it("a body within the limit still works (REST and tRPC)", async () => {
      const ok = await rest("PUT", "acme/namespaces/company.team/kv/small", {
        token,
        body: JSON.stringify({ a: 1 }),
        contentType: "application/json",
      });
      expect(ok.status).toBe(200);
      const input = JSON.stringify({ json: { tenant: "acme", source: HELLO } });
      const validated = await trpc("flows.validate", token, input);
      // validate is a query: tRPC wants GET for it, and says so without a 413 or a 500.
      expect([200, 405]).toContain(validated.status);
    });
  });

  describe("billion laughs (bounded YAML aliases)", () => {
    it("is refused with a validation error at the first alias, in milliseconds, on every path", async () => {
      const started = Date.now();
      const created = await rest("POST", "acme/flows", {
        token,
        body: LAUGHS,
        contentType: "application/x-yaml",
      });
      expect(created.status).toBe(422);
      expectCleanError(created, /aliases expand/);
      expect(JSON.stringify(created.json.details)).toContain('"line":5');

      const validated = await rest("POST", "acme/flows/validate", {
        token,
        body: LAUGHS,
        contentType: "application/x-yaml",
      });
      expect(validated.status).toBe(200);
      expect(validated.text).toMatch(/aliases expand/);

      const updated = await rest("PUT", "acme/flows/company.team/hello", {
        token,
        body: LAUGHS.replace("id: lol", "id: hello"),
        contentType: "application/x-yaml",
      });
      expect(updated.status).toBe(422);
      expectCleanError(updated, /aliases expand/);

      const caller = await api.trpc({ token });
      await expect(caller.flows.create({ tenant: "acme", source: LAUGHS })).rejects.toMatchObject({
        code: "UNPROCESSABLE_CONTENT",
        message: expect.stringMatching(/aliases expand/),
      });
      const check = await caller.flows.validate({ tenant: "acme", source: LAUGHS });
      expect(JSON.stringify(check)).toMatch(/aliases expand/);
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it("a flow nested 100,000 levels deep is refused the same way, before either YAML parser recurses", async () => {
      const started = Date.now();
      const deep = HELLO.replace("id: hello", "id: deep").replace(
        "tasks:",
        `variables:\n  v: ${deepJson(30_000)}\ntasks:`,
      );
      const created = await rest("POST", "acme/flows", {
        token,
        body: deep,
        contentType: "application/x-yaml",
      });
      expect(created.status).toBe(422);
      expectCleanError(created, /nested more than 256 levels/);
      expect(JSON.stringify(created.json.details)).toContain('"line":8');
      const dashes = await rest("POST", "acme/flows/validate", {
        token,
        body: HELLO.replace("tasks:", `variables:\n  v:\n    ${"- ".repeat(30_000)}1\ntasks:`),
        contentType: "application/x-yaml",
      });
      expect(dashes.text).toMatch(/nested more than 256 levels/);
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it("is refused by `cadenza flow validate` with file:line:col", async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "cadenza-laughs-"));
      try {
        const file = path.join(dir, "lol.yaml");
        await writeFile(file, LAUGHS);
        let output = "";
        const started = Date.now();
        const code = await main(["flow", "validate", file], {
          stdout: (text) => {
            output += text;
          },
          stderr: (text) => {
            output += text;
          },
        });
        expect(code).not.toBe(0);
        expect(output).toContain(`${file}:5:`);
        expect(output).toMatch(/aliases expand/);
        expect(Date.now() - started).toBeLessThan(5_000);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe("malformed input (400)", () => {
    it("refuses NUL characters in JSON bodies, YAML, query and path", async () => {
      const kv = await rest("PUT", "acme/namespaces/company.team/kv/nul", {
        token,
        body: JSON.stringify({ text: "a\u0000b" }),
        contentType: "application/json",
      });
      expect(kv.status).toBe(400);
      expectCleanError(kv, /NUL character/);

      const inputs = await rest("POST", "acme/executions/company.team/hello", {
        token,
        body: JSON.stringify({ "k\u0000": "v" }),
        contentType: "application/json",
      });
      expect(inputs.status).toBe(400);
      expectCleanError(inputs, /NUL character/);

      const yaml = await rest("POST", "acme/flows", {
        token,
        body: HELLO.replace("message: hello", "message: a\u0000b").replace("id: hello", "id: nul"),
        contentType: "application/x-yaml",
      });
      expect(yaml.status).toBe(400);
      expectCleanError(yaml, /NUL character/);

      const query = await rest("GET", "acme/flows/search?q=a%00b", { token });
      expect(query.status).toBe(400);
      expectCleanError(query, /NUL character/);

      const path = await rest("GET", "acme/flows/company.team/he%00llo", { token });
      expect(path.status).toBe(400);
      expectCleanError(path, /NUL character/);

      const caller = await api.trpc({ token });
      await expect(
        caller.flows.create({ tenant: "acme", source: HELLO.replace("message: hello", "message: a\u0000b") }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/NUL character/) });
    });

    it("refuses JSON nested 100,000 levels deep (REST and tRPC)", async () => {
      const body = deepJson(100_000);
      const limits = { bodyBytes: 1024 * 1024, uploadBytes: 1024 * 1024 };
      const inputs = await rest("POST", "acme/executions/company.team/hello", {
        token,
        body: `{"a":${body}}`,
        contentType: "application/json",
        limits,
      });
      expect(inputs.status).toBe(400);
      expectCleanError(inputs, /nested more than 256 levels/);

      const kv = await rest("PUT", "acme/namespaces/company.team/kv/deep", {
        token,
        body,
        contentType: "application/json",
        limits,
      });
      expect(kv.status).toBe(400);
      expectCleanError(kv, /nested more than 256 levels/);

      const deep = await trpc(
        "flows.create",
        token,
        `{"json":{"tenant":"acme","source":"x","extra":${body}}}`,
        {},
        limits,
      );
      expect(deep.status).toBe(400);
      expect(deep.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|Maximum call stack/);
    });

    it.each([
      ["..", 400],
      [".", 400],
      ["/", 400],
      ["a/b.txt", 400],
      ["../../etc/passwd", 400],
      [" ", 400],
    ])("refuses a FILE input named %j", async (name, status) => {
      const form = new FormData();
      form.set("file", new Blob(["data"]), name);
      const response = await rest("POST", "acme/executions/company.team/hello", { token, body: form });
      expect(response.status).toBe(status);
      expectCleanError(response, /invalid name/);
    });

    it("refuses a FILE input with an empty name and content, and ignores an untouched file field", async () => {
      const boundary = "cadenza-boundary";
      const part = (content: string) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n${content}\r\n--${boundary}--\r\n`;
      const named = await rest("POST", "acme/executions/company.team/hello", {
        token,
        body: part("data"),
        contentType: `multipart/form-data; boundary=${boundary}`,
      });
      expect(named.status).toBe(400);
      expectCleanError(named, /invalid name/);
      const untouched = await rest("POST", "acme/executions/company.team/hello", {
        token,
        body: part(""),
        contentType: `multipart/form-data; boundary=${boundary}`,
      });
      expect(untouched.status).toBe(200);
    });

    it("refuses a malformed percent-escape in the path", async () => {
      const response = await rest("GET", "acme/flows/%E0%A4%A", { token });
      expect(response.status).toBe(400);
      expectCleanError(response, /percent-encoding/);
      const tenant = await rest("GET", "%E0%A4%A/flows/search", { token });
      expect(tenant.status).toBe(400);
    });

    it("the web server's front door tells a malformed path before Next's router sees it", () => {
      expect(malformedTarget("/api/v1/t/flows/%E0%A4%A")).toBe("The path is not valid percent-encoding.");
      expect(malformedTarget("/flows/%zz")).toBe("The path is not valid percent-encoding.");
      expect(malformedTarget("/api/v1/t/flows/a%20b?q=%E0%A4%A")).toBeUndefined();
      expect(malformedTarget("/api/v1/t/flows/caf%C3%A9")).toBeUndefined();
    });
  });
});
