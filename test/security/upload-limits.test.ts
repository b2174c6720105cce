// Every request body is capped: each REST route that reads a body answers 413 past its limit with a JSON
// message naming the limit and its setting (details: { limitBytes, setting }), and the upload paths (FILE
// inputs, namespace files, flow import and its zip, KV, webhooks) write nothing when they refuse.
import { readdir } from "node:fs/promises";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import type { BodyLimits } from "@/server/input-limits";
import { handleRest } from "@/server/rest/handler";
import { router, routes } from "@/server/rest/routes";
import { setUpApi } from "../api/harness";

const api = setUpApi();

const LIMITS: Required<BodyLimits> = { bodyBytes: 16 * 1024, uploadBytes: 64 * 1024, importBytes: 32 * 1024 };

const FLOW = `id: hello
namespace: company.team
inputs:
  - id: file
    type: FILE
    required: false
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: hello
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: the-key
`;

interface Answer {
  status: number;
  text: string;
  json: { message?: string; details?: { limitBytes?: number; setting?: string } };
}

/** A body of `total` bytes, streamed without a Content-Length (the server must count it as it reads). */
function streamed(total: number, fill = "a"): ReadableStream<Uint8Array> {
  const chunk = strToU8(fill.repeat(4096));
  let sent = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent >= total) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
}

async function rest(
  method: string,
  path: string,
  init: { token?: string; body?: BodyInit; contentType?: string } = {},
): Promise<Answer> {
  const headers = new Headers();
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.contentType) headers.set("content-type", init.contentType);
  const response = await handleRest(
    new Request(`http://cadenza.test/api/v1/${path}`, {
      method,
      headers,
      body: init.body,
      duplex: "half",
    } as RequestInit),
    {
      db: api.database.db,
      engine: async () => api.engine,
      session: async () => null,
      router,
      limits: LIMITS,
    },
  );
  const text = await response.text();
  return { status: response.status, text, json: text ? JSON.parse(text) : {} };
}

/** A 413 that says the limit in bytes and which setting it comes from, with no stack trace. */
function expectTooLarge(answer: Answer, limit: number, setting: string, what = "") {
  expect(answer.status, `${what} ${answer.text}`).toBe(413);
  expect(answer.json.message).toContain(`larger than ${limit} bytes`);
  expect(answer.json.message).toContain(setting);
  expect(answer.json.details).toEqual({ limitBytes: limit, setting });
  expect(answer.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/);
}

/** A multipart body with one file part. */
function multipart(field: string, fileName: string, content: Uint8Array | string): FormData {
  const form = new FormData();
  form.append(field, new Blob([typeof content === "string" ? content : new Uint8Array(content)]), fileName);
  return form;
}

/** Files of that name anywhere in the server's data directory (its local internal storage). */
async function filesNamed(name: string): Promise<string[]> {
  const entries = await readdir(api.dataDir, { recursive: true });
  return entries.filter((entry) => entry === name || entry.endsWith(`/${name}`));
}

const PARAMS: Record<string, string> = {
  namespace: "company.team",
  flowId: "hello",
  key: "the-key",
  triggerId: "hook",
  id: "00000000-0000-4000-8000-000000000000",
};

/** Query parameters a route needs before it reads its body (checked first, as 400). */
const REQUIRED_QUERY: Record<string, string> = {
  "/executions/change-status/by-ids": "?newStatus=SUCCESS",
};

describe("upload and body size limits", () => {
  let token = "";
  const executionsOfHello = async () =>
    (
      await api.query<{ count: number }>(
        "select count(*)::int as count from executions where namespace = 'company.team' and flow_id = 'hello'",
      )
    )[0]?.count;

  it("sets up a tenant and a flow", async () => {
    token = (await api.admin("caps", "admin@caps.test")).token;
    await api.deploy("caps", token, FLOW);
  });

  it("every REST route that reads a body answers 413 past its limit, naming the limit", async () => {
    // GET webhooks read a body too, but no client can send one with GET.
    const withBody = routes
      .filter((route) => route.body)
      .flatMap((route) =>
        [route.method].flat().flatMap((method) => (method === "GET" ? [] : [{ ...route, method }])),
      );
    expect(withBody.length).toBeGreaterThan(40);
    for (const route of withBody) {
      const path =
        route.path.replace(/\{(\w+)\}/g, (_: string, name: string) => PARAMS[name] ?? "x") +
        (REQUIRED_QUERY[route.path] ?? "");
      const kind = route.body?.kind;
      const form = kind === "upload" || kind === "inputs";
      const contentType =
        kind === "yaml"
          ? "application/x-yaml"
          : kind === "text"
            ? "text/plain"
            : form
              ? "multipart/form-data; boundary=b"
              : "application/json";
      const limit = form ? LIMITS.uploadBytes : LIMITS.bodyBytes;
      const answer = await rest(route.method, `caps${path}`, {
        token,
        body: streamed(limit + 8192),
        contentType,
      });
      expectTooLarge(
        answer,
        limit,
        form ? "CADENZA_MAX_UPLOAD_BYTES" : "CADENZA_MAX_BODY_BYTES",
        `${route.method} ${route.path}`,
      );
    }
  });

  it("an execution's FILE input past the upload limit creates no execution and stores no file", async () => {
    const before = await executionsOfHello();
    const refused = await rest("POST", "caps/executions/company.team/hello", {
      token,
      body: multipart("file", "big.bin", new Uint8Array(LIMITS.uploadBytes + 1)),
    });
    expectTooLarge(refused, LIMITS.uploadBytes, "CADENZA_MAX_UPLOAD_BYTES");
    expect(await executionsOfHello()).toBe(before);
    expect(await filesNamed("big.bin")).toEqual([]);
    const accepted = await rest("POST", "caps/executions/company.team/hello", {
      token,
      body: multipart("file", "small.txt", "small"),
    });
    expect(accepted.status, accepted.text).toBe(200);
    expect(await executionsOfHello()).toBe((before ?? 0) + 1);
    expect(await filesNamed("small.txt")).toHaveLength(1);
  });

  it("a namespace file past the upload limit is not written", async () => {
    const refused = await rest("POST", "caps/namespaces/company.team/files?path=/big.bin", {
      token,
      body: multipart("fileContent", "big.bin", new Uint8Array(LIMITS.uploadBytes + 1)),
    });
    expectTooLarge(refused, LIMITS.uploadBytes, "CADENZA_MAX_UPLOAD_BYTES");
    expect((await rest("GET", "caps/namespaces/company.team/files?path=/big.bin", { token })).status).toBe(
      404,
    );
    const fits = await rest("POST", "caps/namespaces/company.team/files?path=/small.txt", {
      token,
      body: multipart("fileContent", "small.txt", "fits"),
    });
    expect(fits.status, fits.text).toBe(200);
  });

  const flowNamed = (id: string) => FLOW.replace("id: hello", `id: ${id}`).replace(/triggers:[\s\S]*$/, "");
  const flowExists = async (id: string) =>
    (await rest("GET", `caps/flows/company.team/${id}`, { token })).status === 200;

  it("a flow import past the upload limit saves no flow", async () => {
    const padded = `${flowNamed("imported")}# ${"x".repeat(LIMITS.uploadBytes)}\n`;
    const refused = await rest("POST", "caps/flows/import", {
      token,
      body: multipart("fileUpload", "flows.yml", padded),
    });
    expectTooLarge(refused, LIMITS.uploadBytes, "CADENZA_MAX_UPLOAD_BYTES");
    expect(await flowExists("imported")).toBe(false);
  });

  it("a zip that unpacks past the import limit saves none of its flows, even the small ones", async () => {
    // 200 KiB of YAML packs into a few hundred bytes: within the upload limit, past the import limit.
    const zip = zipSync(
      {
        "a-small.yml": strToU8(flowNamed("zipped_small")),
        "b-big.yml": strToU8(`${flowNamed("zipped_big")}# ${"x".repeat(200 * 1024)}\n`),
      },
      { level: 9 },
    );
    expect(zip.byteLength).toBeLessThan(LIMITS.uploadBytes);
    const refused = await rest("POST", "caps/flows/import", {
      token,
      body: multipart("fileUpload", "flows.zip", zip),
    });
    expectTooLarge(refused, LIMITS.importBytes, "CADENZA_MAX_IMPORT_BYTES");
    expect(refused.json.message).toMatch(/^The zip unpacked is larger than/);
    expect(await flowExists("zipped_small")).toBe(false);
    expect(await flowExists("zipped_big")).toBe(false);

    const fits = await rest("POST", "caps/flows/import", {
      token,
      body: multipart("fileUpload", "flows.zip", zipSync({ "a.yml": strToU8(flowNamed("zipped_small")) })),
    });
    expect(fits.status, fits.text).toBe(200);
    expect(await flowExists("zipped_small")).toBe(true);
  });

  it("a KV value past the body limit is not stored", async () => {
    const value = JSON.stringify({ v: "x".repeat(LIMITS.bodyBytes) });
    const refused = await rest("PUT", "caps/namespaces/company.team/kv/big", {
      token,
      body: value,
      contentType: "application/json",
    });
    expectTooLarge(refused, LIMITS.bodyBytes, "CADENZA_MAX_BODY_BYTES");
    expect((await rest("GET", "caps/namespaces/company.team/kv/big", { token })).status).toBe(404);
  });

  it("a webhook body past the body limit starts no execution", async () => {
    const before = await executionsOfHello();
    const refused = await rest("POST", "caps/executions/webhook/company.team/hello/the-key", {
      body: JSON.stringify({ v: "x".repeat(LIMITS.bodyBytes) }),
      contentType: "application/json",
    });
    expectTooLarge(refused, LIMITS.bodyBytes, "CADENZA_MAX_BODY_BYTES");
    expect(await executionsOfHello()).toBe(before);
    const accepted = await rest("POST", "caps/executions/webhook/company.team/hello/the-key", {
      body: JSON.stringify({ v: "small" }),
      contentType: "application/json",
    });
    expect(accepted.status, accepted.text).toBe(200);
    expect(await executionsOfHello()).toBe((before ?? 0) + 1);
  });
});
