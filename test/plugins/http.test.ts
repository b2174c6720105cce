import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtInRegistry } from "@/plugins";
import { isPublicAddress } from "@/plugins/core/http/address-policy";
import { checkedLookup } from "@/plugins/core/http/client";
import { MemoryEngine, VirtualClock } from "@/worker/memory";
import { errorOf, newEngine, outputsOf, run, text } from "./helpers";

// The test server listens on 127.0.0.1: these tests opt in to that one address (the default refuses it).
const TEST_SERVER = { allowPrivateNetworks: false, allowedNetworks: ["127.0.0.1/32"] };

let server: Server;
let base: string;
const seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: String(req.method), url: String(req.url), headers: req.headers, body });
      const url = new URL(String(req.url), "http://x");
      switch (url.pathname) {
        case "/json":
          res.writeHead(200, {
            "content-type": "application/json",
            "x-custom": "yes",
            "set-cookie": ["a=1", "b=2"],
          });
          res.end(JSON.stringify({ hello: "world" }));
          return;
        case "/echo":
          res.writeHead(201, { "content-type": "application/json" });
          res.end(JSON.stringify({ method: req.method, headers: req.headers, body }));
          return;
        case "/status":
          res.writeHead(Number(url.searchParams.get("code")), { "content-type": "text/plain" });
          res.end(`status ${url.searchParams.get("code")}`);
          return;
        case "/redirect":
          res.writeHead(Number(url.searchParams.get("code") ?? 302), {
            location: url.searchParams.get("to") ?? "/json",
          });
          res.end();
          return;
        case "/loop":
          res.writeHead(302, { location: "/loop" });
          res.end();
          return;
        case "/slow":
          setTimeout(() => res.writeHead(200).end("late"), 2_000).unref();
          return;
        case "/file":
          res.writeHead(200, {
            "content-type": "text/csv",
            "content-disposition": 'attachment; filename="orders 2024.csv"',
          });
          res.end("id,total\n1,10\n");
          return;
        case "/empty":
          res.writeHead(200).end();
          return;
        case "/gzip":
          res.writeHead(200, { "content-encoding": "gzip", "content-type": "text/plain; charset=utf-8" });
          res.end(gzipSync("compressed é"));
          return;
      }
      res.writeHead(404).end("not found");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const flow = (tasks: string) => `id: http
namespace: company.team
tasks:
${tasks}`;

describe("core.http.Request", () => {
  it("outputs the code, the headers (lists of values) and the body", async () => {
    const { engine } = newEngine({ httpPolicy: TEST_SERVER });
    const execution = await run(
      engine,
      flow(`  - id: get
    type: io.kestra.plugin.core.http.Request
    uri: ${base}/json
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.get.code }} {{ fromJson(outputs.get.body).hello }} {{ outputs.get.headers['x-custom'][0] }}"
`),
    );
    expect(execution.state.current).toBe("SUCCESS");
    const outputs = outputsOf(execution, "get");
    expect(outputs).toMatchObject({ uri: `${base}/json`, code: 200, body: '{"hello":"world"}' });
    expect((outputs.headers as Record<string, string[]>)["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(engine.logs.some((l) => l.taskId === "log" && l.message === "200 world yes")).toBe(true);
  });

  it("sends the method, headers, JSON body and basic authentication", async () => {
    const { engine } = newEngine({ httpPolicy: TEST_SERVER });
    const execution = await run(
      engine,
      flow(`  - id: post
    type: io.kestra.plugin.core.http.Request
    uri: ${base}/echo
    method: POST
    headers:
      X-Trace: abc
    body:
      name: Cadenza
      tags: [a, b]
    options:
      auth:
        type: BASIC
        username: user
        password: "p@ss"
`),
    );
    const echoed = JSON.parse(String(outputsOf(execution, "post").body));
    expect(outputsOf(execution, "post").code).toBe(201);
    expect(echoed.method).toBe("POST");
    expect(JSON.parse(echoed.body)).toEqual({ name: "Cadenza", tags: ["a", "b"] });
    expect(echoed.headers["content-type"]).toBe("application/json");
    expect(echoed.headers["x-trace"]).toBe("abc");
    expect(echoed.headers.authorization).toBe(`Basic ${Buffer.from("user:p@ss").toString("base64")}`);
  });

  it("sends formData URL-encoded, or as multipart with files from the internal storage", async () => {
    const { engine } = newEngine({ httpPolicy: TEST_SERVER });
    await engine.storage.put("kestra:///company/team/http/executions/x/report.csv", "a,b\n");
    const execution = await run(
      engine,
      flow(`  - id: form
    type: io.kestra.plugin.core.http.Request
    uri: ${base}/echo
    method: POST
    formData:
      user: ada lovelace
      n: 1
  - id: multipart
    type: io.kestra.plugin.core.http.Request
    uri: ${base}/echo
    method: POST
    contentType: multipart/form-data
    formData:
      title: report
      inline:
        name: note.txt
        content: hello
`),
    );
    expect(execution.state.current).toBe("SUCCESS");
    const form = JSON.parse(String(outputsOf(execution, "form").body));
    expect(form.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(form.body).toBe("user=ada+lovelace&n=1");
    const multipart = JSON.parse(String(outputsOf(execution, "multipart").body));
    expect(multipart.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(multipart.body).toContain('name="title"\r\n\r\nreport');
    expect(multipart.body).toContain('name="inline"; filename="note.txt"');
    expect(multipart.body).toContain("hello");
  });

  it("fails on a status of 400 or more unless allowFailed", async () => {
    const { engine } = newEngine({ httpPolicy: TEST_SERVER });
    const execution = await run(
      engine,
      flow(`  - id: missing
    type: io.kestra.plugin.core.http.Request
    uri: ${base}/status?code=404
    allowFailure: true
  - id: allowed
    type: io.kestra.plugin.core.http.Request
    uri: ${base}/status?code=503
    options:
      allowFailed: true
`),
    );
    expect(errorOf(execution, "missing")).toBe("Failed http request with response code '404'");
    expect(outputsOf(execution, "allowed")).toMatchObject({ code: 503, body: "status 503" });
  });

  it("follows redirects (POST becomes GET on 302, stays POST on 307) unless told not to", async () => {
    const { engine } = newEngine({ httpPolicy: TEST_SERVER });
    const execution = await run(
      engine,
      flow(`  - id: followed
    type: io.kestra.plugin.core.http.Request
    uri: ${base}/redirect?to=/json
  - id: post_302
    type: io.kestra.plugin.core.http.Request
    method: POST
    body: data
    uri: ${base}/redirect?code=302&to=/echo
  - id: post_307
    type: io.kestra.plugin.core.http.Request
    method: POST
    body: data
    uri: ${base}/redirect?code=307&to=/echo
  - id: not_followed
    type: io.kestra.plugin.core.http.Request
    uri: ${base}/redirect?to=/json
    options:
      followRedirects: false
  - id: loop
    type: io.kestra.plugin.core.http.Request
    uri: ${base}/loop
    allowFailure: true
`),
    );
    expect(outputsOf(execution, "followed")).toMatchObject({ code: 200, body: '{"hello":"world"}' });
    expect(JSON.parse(String(outputsOf(execution, "post_302").body))).toMatchObject({
      method: "GET",
      body: "",
    });
    expect(JSON.parse(String(outputsOf(execution, "post_307").body))).toMatchObject({
      method: "POST",
      body: "data",
    });
    expect(outputsOf(execution, "not_followed").code).toBe(302);
    expect((outputsOf(execution, "not_followed").headers as Record<string, string[]>).location).toEqual([
      "/json",
    ]);
    expect(errorOf(execution, "loop")).toBe("more than 10 redirects");
  });

  it("times out when the server stays silent longer than readIdleTimeout", async () => {
    const { engine } = newEngine({ httpPolicy: TEST_SERVER });
    const started = Date.now();
    const execution = await run(
      engine,
      flow(`  - id: slow
    type: io.kestra.plugin.core.http.Request
    uri: ${base}/slow
    options:
      timeout:
        readIdleTimeout: PT0.3S
`),
    );
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "slow")).toBe("read timed out: no data for 300 ms");
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("decodes compressed bodies", async () => {
    const { engine } = newEngine({ httpPolicy: TEST_SERVER });
    const execution = await run(
      engine,
      flow(`  - id: gz
    type: io.kestra.plugin.core.http.Request
    uri: ${base}/gzip
`),
    );
    expect(outputsOf(execution, "gz").body).toBe("compressed é");
  });

  it.each([
    ["file:///etc/passwd", "only http:// and https:// URIs are allowed, not file://"],
    ["ftp://example.com/x", "only http:// and https:// URIs are allowed, not ftp://"],
    ["not a uri", "'not a uri' is not a valid URI"],
  ])("refuses %s", async (uri, message) => {
    const { engine } = newEngine({ httpPolicy: TEST_SERVER });
    const execution = await run(
      engine,
      flow(`  - id: refused
    type: io.kestra.plugin.core.http.Request
    uri: "${uri}"
`),
    );
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "refused")).toBe(message);
  });

  it("refuses private addresses when the tenant's policy says so: literal IPs, names that resolve to them, redirects", async () => {
    const engine = new MemoryEngine({
      registry: builtInRegistry(),
      clock: new VirtualClock(),
      httpPolicy: { allowPrivateNetworks: false },
    });
    const before = seen.length;
    const port = (server.address() as AddressInfo).port;
    const execution = await run(
      engine,
      flow(`  - id: literal
    type: io.kestra.plugin.core.http.Request
    uri: ${base}/json
    allowFailure: true
  - id: by_name
    type: io.kestra.plugin.core.http.Request
    uri: http://localhost:${port}/json
    allowFailure: true
  - id: metadata
    type: io.kestra.plugin.core.http.Download
    uri: http://169.254.169.254/latest/meta-data/
    allowFailure: true
  - id: mapped
    type: io.kestra.plugin.core.http.Request
    uri: http://[::ffff:127.0.0.1]:${port}/json
    allowFailure: true
`),
    );
    expect(errorOf(execution, "literal")).toBe(
      "http request to 127.0.0.1 refused: private and loopback addresses are blocked (CADENZA_HTTP_ALLOWED_NETWORKS allows ranges)",
    );
    expect(errorOf(execution, "by_name")).toMatch(
      /^http request to localhost \((127\.0\.0\.1|::1)\) refused/,
    );
    expect(errorOf(execution, "metadata")).toContain("http request to 169.254.169.254 refused");
    expect(errorOf(execution, "mapped")).toContain("http request to ::ffff:7f00:1 refused");
    // Nothing reached the server.
    expect(seen.length).toBe(before);
  });
});

describe("core.http.Download", () => {
  it("stores the body in the internal storage, named after Content-Disposition", async () => {
    const { engine } = newEngine({ httpPolicy: TEST_SERVER });
    const execution = await run(
      engine,
      flow(`  - id: download
    type: io.kestra.plugin.core.http.Download
    uri: ${base}/file
  - id: from_path
    type: io.kestra.plugin.core.http.Download
    uri: ${base}/json
`),
    );
    const outputs = outputsOf(execution, "download");
    expect(outputs).toMatchObject({ code: 200, length: 14 });
    expect(String(outputs.uri)).toMatch(/\/tasks\/download\/[^/]+\/orders\+2024\.csv$/);
    expect(await text(engine, outputs.uri)).toBe("id,total\n1,10\n");
    expect(String(outputsOf(execution, "from_path").uri)).toMatch(/\/json$/);
  });

  it("fails on an empty response unless failOnEmptyResponse is false", async () => {
    const { engine } = newEngine({ httpPolicy: TEST_SERVER });
    const execution = await run(
      engine,
      flow(`  - id: strict
    type: io.kestra.plugin.core.http.Download
    uri: ${base}/empty
    allowFailure: true
  - id: lenient
    type: io.kestra.plugin.core.http.Download
    uri: ${base}/empty
    failOnEmptyResponse: false
`),
    );
    expect(errorOf(execution, "strict")).toBe("No response from server");
    expect(outputsOf(execution, "lenient")).toMatchObject({ code: 200, length: 0 });
  });
});

describe("the address policy", () => {
  it.each([
    ["8.8.8.8", true],
    ["1.1.1.1", true],
    ["2606:4700:4700::1111", true],
    ["127.0.0.1", false],
    ["10.1.2.3", false],
    ["172.16.0.1", false],
    ["172.32.0.1", true],
    ["192.168.1.1", false],
    ["169.254.169.254", false],
    ["100.64.0.1", false],
    ["0.0.0.0", false],
    ["224.0.0.1", false],
    ["::1", false],
    ["::", false],
    ["fe80::1%eth0", false],
    ["fd00::1", false],
    ["::ffff:10.0.0.1", false],
    ["::ffff:8.8.8.8", true],
    ["64:ff9b::a00:1", false],
    ["64:ff9b::808:808", true],
    ["2002:c0a8:101::1", false],
    ["2002:808:808::1", true],
    ["::7f00:1", false],
    ["::ffff:0:7f00:1", false],
    ["fd00:ec2::254", false],
    ["fec0::1", false],
    ["2001::1", false],
    ["64:ff9b:1::808:808", false],
    ["255.255.255.255", false],
    ["127.1", false],
    ["not-an-ip", false],
  ])("%s is public: %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe("the checked DNS lookup", () => {
  const lookupWith = (addresses: { address: string; family: number }[]) =>
    checkedLookup((_host, _options, callback) => callback(null, addresses));
  const call = (lookup: ReturnType<typeof checkedLookup>, all: boolean) =>
    new Promise<unknown>((resolve) => {
      lookup(
        "api.example",
        { all } as never,
        ((error: Error | null, address: unknown, family?: number) =>
          resolve(error ? error.message : { address, family })) as never,
      );
    });

  it("hands the socket exactly the addresses it checked", async () => {
    const lookup = lookupWith([
      { address: "93.184.216.34", family: 4 },
      { address: "2606:2800:220:1::1", family: 6 },
    ]);
    expect(await call(lookup, true)).toEqual({
      address: [
        { address: "93.184.216.34", family: 4 },
        { address: "2606:2800:220:1::1", family: 6 },
      ],
      family: undefined,
    });
    expect(await call(lookup, false)).toEqual({ address: "93.184.216.34", family: 4 });
  });

  it("refuses a name when any of its addresses is private (a rebinding name that also answers 127.0.0.1)", async () => {
    const lookup = lookupWith([
      { address: "93.184.216.34", family: 4 },
      { address: "127.0.0.1", family: 4 },
    ]);
    expect(await call(lookup, true)).toBe(
      "http request to api.example (127.0.0.1) refused: private and loopback addresses are blocked (CADENZA_HTTP_ALLOWED_NETWORKS allows ranges)",
    );
  });
});
