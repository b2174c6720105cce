// SSRF: HTTP tasks (core.http.Request, core.http.Download) and the polling http.Trigger refuse loopback,
// private, link-local, metadata and other non-public addresses by default, in every spelling of them, after
// DNS resolution (with the resolver the socket really uses) and on every redirect hop. Each test counts the
// requests its local servers received: a refused request never reaches them.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpPolicy } from "@/engine/plugin";
import { pollUntil, setUpEmbeddedEngine } from "@/worker/embedded/test/harness";
import { errorOf, newEngine, outputsOf, run } from "../plugins/helpers";

const REFUSED =
  "refused: private and loopback addresses are blocked (CADENZA_HTTP_ALLOWED_NETWORKS allows ranges)";

/** A server counting its requests; `/to?url=` redirects there. */
function countingServer(host: string) {
  const state = { hits: 0, port: 0, server: undefined as Server | undefined };
  beforeAll(async () => {
    state.server = createServer((request, response) => {
      state.hits++;
      const url = new URL(String(request.url), "http://x");
      const to = url.searchParams.get("url");
      if (to) response.writeHead(302, { location: to }).end();
      else response.writeHead(200, { "content-type": "text/plain" }).end("reached");
    });
    await new Promise<void>((resolve) => state.server?.listen(0, host, resolve));
    state.port = (state.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => state.server?.close(() => resolve())));
  return state;
}

// The loopback target every refused request would have reached.
const target = countingServer("127.0.0.1");
// A second loopback address an operator allows (CADENZA_HTTP_ALLOWED_NETWORKS=127.0.0.2/32): an allowed
// origin that redirects to a blocked one.
const allowed = countingServer("127.0.0.2");
const ALLOW_127_0_0_2: HttpPolicy = { allowPrivateNetworks: false, allowedNetworks: ["127.0.0.2/32"] };

const flow = (type: string, uri: string) => `id: ssrf
namespace: security.test
tasks:
  - id: call
    type: io.kestra.plugin.core.http.${type}
    uri: "${uri}"
`;

async function attempt(type: "Request" | "Download", uri: string, httpPolicy?: HttpPolicy) {
  const { engine } = newEngine(httpPolicy ? { httpPolicy } : {});
  const execution = await run(engine, flow(type, uri));
  return { state: execution.state.current, error: errorOf(execution, "call"), execution };
}

describe("HTTP tasks refuse non-public addresses by default", () => {
  // [URL (port appended), the address the refusal names]
  const loopbackForms: [string, string][] = [
    ["http://127.0.0.1", "127.0.0.1"],
    ["http://2130706433", "127.0.0.1"],
    ["http://0x7f000001", "127.0.0.1"],
    ["http://0177.0.0.1", "127.0.0.1"],
    ["http://017700000001", "127.0.0.1"],
    ["http://127.1", "127.0.0.1"],
    ["http://0x7f.1", "127.0.0.1"],
    ["http://127.0.0.1.", "127.0.0.1"],
    ["http://１２７.0.0.1", "127.0.0.1"],
    ["http://0.0.0.0", "0.0.0.0"],
    ["http://0", "0.0.0.0"],
    ["http://[::1]", "::1"],
    ["http://[::]", "::"],
    ["http://[::ffff:127.0.0.1]", "::ffff:7f00:1"],
    ["http://[0:0:0:0:0:ffff:7f00:1]", "::ffff:7f00:1"],
    ["http://[::127.0.0.1]", "::7f00:1"],
    ["http://[64:ff9b::7f00:1]", "64:ff9b::7f00:1"],
    ["http://[2002:7f00:1::1]", "2002:7f00:1::1"],
  ];

  for (const type of ["Request", "Download"] as const) {
    it.each(loopbackForms)(
      `core.http.${type} refuses %s (the loopback server is never reached)`,
      async (url, address) => {
        const before = target.hits;
        const result = await attempt(type, `${url}:${target.port}/`);
        expect(result.state).toBe("FAILED");
        expect(result.error).toBe(`http request to ${address} ${REFUSED}`);
        expect(target.hits).toBe(before);
      },
    );
  }

  it.each([
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254"],
    ["http://[fd00:ec2::254]/latest/meta-data/", "fd00:ec2::254"],
    ["http://10.0.0.1/", "10.0.0.1"],
    ["http://172.16.0.1/", "172.16.0.1"],
    ["http://192.168.1.1/", "192.168.1.1"],
    ["http://100.64.0.1/", "100.64.0.1"],
    ["http://224.0.0.1/", "224.0.0.1"],
    ["http://255.255.255.255/", "255.255.255.255"],
    ["http://[fe80::1]/", "fe80::1"],
    ["http://[fc00::1]/", "fc00::1"],
    ["http://[fec0::1]/", "fec0::1"],
    ["http://[ff02::1]/", "ff02::1"],
    ["http://[::ffff:10.0.0.1]/", "::ffff:a00:1"],
    ["http://[::ffff:169.254.169.254]/", "::ffff:a9fe:a9fe"],
    ["http://[64:ff9b::a9fe:a9fe]/", "64:ff9b::a9fe:a9fe"],
    ["http://[2001::1]/", "2001::1"],
  ])("refuses %s before connecting", async (uri, address) => {
    const result = await attempt("Request", uri);
    expect(result.error).toBe(`http request to ${address} ${REFUSED}`);
  });

  it("refuses localhost, and a name that resolves to loopback, after resolution", async () => {
    const before = target.hits;
    const byName = await attempt("Request", `http://localhost:${target.port}/`);
    expect(byName.error).toMatch(/^http request to localhost \((127\.0\.0\.1|::1)\) refused: /);
    // A public-looking name whose DNS answers 127.0.0.1 (the resolver the socket uses is the policy's).
    const resolve = async () => [{ address: "127.0.0.1", family: 4 }];
    const rebound = await attempt("Download", `http://api.example.com:${target.port}/`, {
      allowPrivateNetworks: false,
      resolve,
    });
    expect(rebound.error).toBe(`http request to api.example.com (127.0.0.1) ${REFUSED}`);
    // Any private address among the answers refuses the name (a rebinding name that also answers 127.0.0.1).
    const mixed = await attempt("Request", `http://api.example.com:${target.port}/`, {
      allowPrivateNetworks: false,
      resolve: async () => [
        { address: "93.184.216.34", family: 4 },
        { address: "127.0.0.1", family: 4 },
      ],
    });
    expect(mixed.error).toBe(`http request to api.example.com (127.0.0.1) ${REFUSED}`);
    expect(target.hits).toBe(before);
  });

  it("connects to the address it checked: an allowed name reaches the allowed server it resolved to", async () => {
    const before = allowed.hits;
    const result = await attempt("Request", `http://internal.example:${allowed.port}/`, {
      ...ALLOW_127_0_0_2,
      resolve: async () => [{ address: "127.0.0.2", family: 4 }],
    });
    expect(result.state).toBe("SUCCESS");
    expect(outputsOf(result.execution, "call")).toMatchObject({ code: 200, body: "reached" });
    expect(allowed.hits).toBe(before + 1);
  });

  it("CADENZA_HTTP_ALLOWED_NETWORKS allows exactly its ranges", async () => {
    const reached = await attempt("Request", `http://127.0.0.2:${allowed.port}/`, ALLOW_127_0_0_2);
    expect(reached.state).toBe("SUCCESS");
    const before = target.hits;
    const other = await attempt("Request", `http://127.0.0.1:${target.port}/`, ALLOW_127_0_0_2);
    expect(other.error).toBe(`http request to 127.0.0.1 ${REFUSED}`);
    expect(target.hits).toBe(before);
  });

  it("CADENZA_HTTP_PRIVATE_NETWORKS=allow opts out entirely", async () => {
    const before = target.hits;
    const result = await attempt("Request", `http://127.0.0.1:${target.port}/`, {
      allowPrivateNetworks: true,
    });
    expect(result.state).toBe("SUCCESS");
    expect(target.hits).toBe(before + 1);
  });

  for (const type of ["Request", "Download"] as const) {
    it.each([
      ["http://127.0.0.1:{port}/", "127.0.0.1"],
      ["http://2130706433:{port}/", "127.0.0.1"],
      ["http://[::ffff:127.0.0.1]:{port}/", "::ffff:7f00:1"],
      ["http://169.254.169.254/latest/meta-data/", "169.254.169.254"],
    ])(
      `core.http.${type}: an allowed origin redirecting to %s is refused at that hop`,
      async (to, address) => {
        const location = to.replace("{port}", String(target.port));
        const beforeTarget = target.hits;
        const beforeAllowed = allowed.hits;
        const uri = `http://127.0.0.2:${allowed.port}/?url=${encodeURIComponent(location)}`;
        const result = await attempt(type, uri, ALLOW_127_0_0_2);
        expect(result.error).toBe(`http request to ${address} ${REFUSED}`);
        expect(allowed.hits).toBe(beforeAllowed + 1);
        expect(target.hits).toBe(beforeTarget);
      },
    );
  }

  it("a redirect to a name that resolves to loopback is refused too", async () => {
    const before = target.hits;
    const location = `http://localhost:${target.port}/`;
    const result = await attempt(
      "Request",
      `http://127.0.0.2:${allowed.port}/?url=${encodeURIComponent(location)}`,
      ALLOW_127_0_0_2,
    );
    expect(result.error).toMatch(/^http request to localhost \((127\.0\.0\.1|::1)\) refused: /);
    expect(target.hits).toBe(before);
  });
});

describe("the polling http.Trigger on the embedded engine (no policy given: the default)", () => {
  const h = setUpEmbeddedEngine();

  it("logs the refusal on the trigger and never reaches the loopback server", async () => {
    await h.startRuntime();
    const before = target.hits;
    await h.deploy(`id: poll_loopback
namespace: security.test
tasks:
  - { id: log, type: core.log.Log, message: never }
triggers:
  - id: internal
    type: io.kestra.plugin.core.http.Trigger
    uri: "http://0x7f000001:${target.port}/"
    interval: PT0.3S
`);
    const logs = await pollUntil(
      () =>
        h.query<{ message: string }>(
          "select message from log_entries where flow_id = 'poll_loopback' and trigger_id = 'internal'",
        ),
      (rows) => rows.length >= 2,
      15_000,
      100,
    );
    expect(logs[0]?.message).toBe(`Trigger internal could not poll: http request to 127.0.0.1 ${REFUSED}`);
    expect(target.hits).toBe(before);
    expect(await h.query("select id from executions where flow_id = 'poll_loopback'")).toEqual([]);
    await h.deploy(`id: poll_loopback
namespace: security.test
disabled: true
tasks:
  - { id: log, type: core.log.Log, message: never }
`);
  });
});
