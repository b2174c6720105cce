import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollUntil, setUpEmbeddedEngine, TENANT } from "./harness";

// The polled server listens on 127.0.0.1: the test opts in to that one address (the default refuses it).
const h = setUpEmbeddedEngine({
  httpPolicy: () => ({ allowPrivateNetworks: false, allowedNetworks: ["127.0.0.1/32"] }),
});
let server: Server;
let base = "";
let hits = 0;

beforeAll(async () => {
  server = createServer((_request, response) => {
    hits++;
    const ready = hits >= 3;
    response.writeHead(ready ? 200 : 503, { "content-type": "application/json" });
    response.end(JSON.stringify({ status: ready ? "ready" : "waiting", hit: hits }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const until = <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000) =>
  pollUntil(read, done, timeoutMs, 100);

describe("polling triggers on the embedded engine", () => {
  it("http.Trigger polls at its interval and starts one execution once the condition holds", async () => {
    await h.startRuntime();
    await h.deploy(`id: wait_for_api
namespace: poll.team
tasks:
  - { id: log, type: core.log.Log, message: "{{ trigger.code }} {{ trigger.body }}" }
triggers:
  - id: api
    type: io.kestra.plugin.core.http.Trigger
    uri: ${base}/status
    interval: PT0.3S
    responseCondition: "{{ response.body.status == 'ready' }}"
    stopAfter: [SUCCESS]
`);
    const executions = await until(
      () =>
        h.query<{ id: string; state: string }>(
          "select id, state from executions where flow_id = 'wait_for_api' and state = 'SUCCESS'",
        ),
      (rows) => rows.length > 0,
    );
    expect(executions).toHaveLength(1);
    const execution = await h.client.get(TENANT, executions[0]?.id ?? "");
    expect(execution?.trigger).toMatchObject({
      id: "api",
      variables: { code: 200, uri: `${base}/status`, body: expect.stringContaining('"ready"') },
    });
    // stopAfter disabled the trigger: no second execution however long we wait.
    await until(
      () => h.query<{ disabled: boolean }>("select disabled from trigger_states where trigger_id = 'api'"),
      (rows) => rows[0]?.disabled === true,
    );
    const polled = hits;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(hits).toBe(polled);
    const all = await h.query("select id from executions where flow_id = 'wait_for_api'");
    expect(all).toHaveLength(1);
  });

  it("a poll that cannot be sent is logged on the trigger and tried again", async () => {
    await h.deploy(`id: unreachable
namespace: poll.team
tasks:
  - { id: log, type: core.log.Log, message: never }
triggers:
  - id: nowhere
    type: io.kestra.plugin.core.http.Trigger
    uri: "file:///etc/passwd"
    interval: PT0.3S
`);
    const logs = await until(
      () =>
        h.query<{ message: string }>(
          "select message from log_entries where flow_id = 'unreachable' and trigger_id = 'nowhere'",
        ),
      (rows) => rows.length >= 2,
    );
    expect(logs[0]?.message).toMatch(/^Trigger nowhere could not poll: /);
    expect(await h.query("select id from executions where flow_id = 'unreachable'")).toEqual([]);
    await h.deploy(`id: unreachable
namespace: poll.team
disabled: true
tasks:
  - { id: log, type: core.log.Log, message: never }
triggers:
  - { id: nowhere, type: io.kestra.plugin.core.http.Trigger, uri: "file:///etc/passwd", interval: PT0.3S }
`);
  });
});
