// Security issue's attacks, replayed against the real `cadenza start` (its engine, its web server, its
// sandbox) by a second tenant: each must fail. The integration tests in test/security/ cover every case in
// depth; this proves the server as shipped is configured the way they assume (isolation on, network
// policy on, the client address taken from the socket, malformed URLs answered before Next renders).
import { expect, test } from "@playwright/test";
import { adminWithToken } from "./cli";

const MARKER = "tenant-a-secret-7f3c9d";

const flowOf = (namespace: string, id: string, tasks: string) =>
  `id: ${id}\nnamespace: ${namespace}\ntasks:\n${tasks}`;

test("a second tenant's code cannot reach the first tenant or the server", async ({ request, baseURL }) => {
  test.setTimeout(180_000);
  const tokenA = await adminWithToken("main", "victim@example.com", "victim password 123");
  const tokenB = await adminWithToken("intruder", "intruder@example.com", "intruder password 123");
  const asA = { authorization: `Bearer ${tokenA}` };
  const asB = { authorization: `Bearer ${tokenB}` };
  const deploy = async (auth: Record<string, string>, yaml: string) => {
    const response = await request.post(`/api/v1/${auth === asA ? "main" : "intruder"}/flows`, {
      headers: { ...auth, "content-type": "application/x-yaml" },
      data: yaml,
    });
    expect(response.status(), await response.text()).toBe(200);
  };
  const runB = async (id: string) => {
    const response = await request.post(`/api/v1/intruder/executions/evil/${id}?wait=true`, { headers: asB });
    expect(response.status()).toBe(200);
    return response.json();
  };

  // Tenant A: a script holding a secret-looking value in its environment, running for a while.
  await deploy(
    asA,
    flowOf(
      "victim",
      "holder",
      `  - id: hold
    type: io.kestra.plugin.scripts.shell.Commands
    env: { TOKEN: "${MARKER}" }
    commands: ["echo started", "sleep 8"]
`,
    ),
  );
  const held = await request.post("/api/v1/main/executions/victim/holder", { headers: asA });
  expect(held.status()).toBe(200);
  const holder = await held.json();
  await expect
    .poll(
      async () =>
        (await (await request.get(`/api/v1/main/executions/${holder.id}`, { headers: asA })).json())
          .taskRunList?.[0]?.state?.current,
      { timeout: 30_000 },
    )
    .toBe("RUNNING");

  // Tenant B scans every process's environment and the data directory while A's script runs.
  await deploy(
    asB,
    flowOf(
      "evil",
      "scan",
      `  - id: scan
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - 'found=$(cat /proc/[0-9]*/environ 2>/dev/null | tr "\\\\0" "\\\\n" | grep -c ${MARKER} || true)'
      - 'pids=$(ls /proc | grep -c "^[0-9]")'
      - 'data=$(ls ${process.env.CADENZA_E2E_DATA_DIR}/storage 2>&1 >/dev/null | grep -c "No such file" || true)'
      - 'echo "::{\\"outputs\\":{\\"found\\":$found,\\"pids\\":$pids,\\"dataHidden\\":$data}}::"'
`,
    ),
  );
  const scan = await runB("scan");
  expect(scan.state.current).toBe("SUCCESS");
  const seen = scan.taskRunList[0].outputs.vars;
  expect(seen.found, "A's environment seen from B's script").toBe(0);
  expect(seen.pids, "processes visible to B's script").toBeLessThan(10);
  expect(seen.dataHidden, "the data directory does not exist inside the sandbox").toBe(1);

  // HTTP tasks cannot reach the server itself, whatever the spelling of its address.
  const port = new URL(baseURL ?? "").port;
  for (const host of ["127.0.0.1", "2130706433", "0x7f000001", "[::ffff:127.0.0.1]", "localhost"]) {
    const id = `ssrf${host.replace(/\W/g, "")}`;
    await deploy(
      asB,
      flowOf(
        "evil",
        id,
        `  - id: get
    type: io.kestra.plugin.core.http.Request
    uri: "http://${host}:${port}/api/health"
`,
      ),
    );
    const execution = await runB(id);
    expect(execution.state.current, host).toBe("FAILED");
  }

  // A catastrophic regex finishes at once and the server keeps answering meanwhile.
  await deploy(
    asB,
    flowOf(
      "evil",
      "redos",
      `  - id: r
    type: io.kestra.plugin.core.log.Log
    message: "{{ 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' | replace({'(.*a){12}b': 'x'}, regexp=true) }}"
`,
    ),
  );
  const [redos, health] = await Promise.all([
    runB("redos"),
    (async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return request.get("/api/health", { timeout: 5_000 });
    })(),
  ]);
  expect(redos.state.current).toBe("SUCCESS");
  expect(health.status()).toBe(200);

  // A's run ends as it would have: B's probing changed nothing.
  await expect
    .poll(
      async () =>
        (await (await request.get(`/api/v1/main/executions/${holder.id}`, { headers: asA })).json()).state
          .current,
      { timeout: 30_000 },
    )
    .toBe("SUCCESS");
});

test("limits cannot be dodged with a forged client address, and malformed URLs are 400s", async ({
  request,
}) => {
  const token = await adminWithToken("main", "hooks@example.com", "hooks password 123");
  const flow = `id: hooked
namespace: e2e.hooks
tasks:
  - id: hi
    type: io.kestra.plugin.core.log.Log
    message: hi
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: the-right-key-0123456789
`;
  const created = await request.post("/api/v1/main/flows", {
    headers: { authorization: `Bearer ${token}`, "content-type": "application/x-yaml" },
    data: flow,
  });
  expect(created.status()).toBe(200);

  // Wrong keys from "different" addresses (a forged X-Forwarded-For each time) are still one client.
  const statuses: number[] = [];
  for (let i = 0; i < 25; i++) {
    const response = await request.post(`/api/v1/main/executions/webhook/e2e.hooks/hooked/wrong-key-${i}`, {
      headers: { "x-forwarded-for": `203.0.113.${i}`, "x-cadenza-client-ip": `198.51.100.${i}` },
    });
    statuses.push(response.status());
  }
  expect(statuses.slice(0, 20).every((status) => status === 404)).toBe(true);
  expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);

  const malformed = await request.get("/api/v1/main/flows/%E0%A4%A");
  expect(malformed.status()).toBe(400);
  const body = await malformed.json();
  expect(body).toHaveProperty("message");
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
});
