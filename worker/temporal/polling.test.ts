import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client, Connection } from "@temporalio/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startTestTemporal,
  TEMPORAL_SKIP_REASON,
  type TestTemporal,
  temporalAvailable,
} from "@/test/temporal";
import { databaseTriggerService } from "../embedded/services";
import { pollUntil, setUpEmbeddedEngine, TENANT } from "../embedded/test/harness";
import { workflowIdOf } from "./names";
import { type RunningTemporalPolling, startTemporalPolling } from "./polling";
import { type RunningTemporalWorker, startTemporalWorker } from "./worker";

if (!temporalAvailable) console.warn(`Temporal polling triggers skipped: ${TEMPORAL_SKIP_REASON}`);

// The polled server listens on 127.0.0.1: the test opts in to that one address (the default refuses it).
const h = setUpEmbeddedEngine({
  httpPolicy: () => ({ allowPrivateNetworks: false, allowedNetworks: ["127.0.0.1/32"] }),
});

/** An endpoint per flow: `/<name>` answers 503 until its `readyAfter`-th request, then 200; hits counted. */
const hits = new Map<string, number>();
const readyAfter = new Map<string, number>();
let server: Server;
let base = "";

let temporal: TestTemporal | undefined;
let connection: Connection | undefined;
let client: Client | undefined;
let worker: RunningTemporalWorker | undefined;
/** Two pollers on one database, as two Temporal worker processes would run them. */
const pollers: RunningTemporalPolling[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const name = (request.url ?? "/").slice(1);
    const hit = (hits.get(name) ?? 0) + 1;
    hits.set(name, hit);
    const ready = hit >= (readyAfter.get(name) ?? 1);
    response.writeHead(ready ? 200 : 503, { "content-type": "application/json" });
    response.end(JSON.stringify({ status: ready ? "ready" : "waiting", hit }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (!temporalAvailable) return;
  temporal = await startTestTemporal();
  const options = { address: temporal.address, namespace: temporal.namespace };
  worker = await startTemporalWorker({ ctx: h.ctx, ...options, tenantIds: [TENANT] });
  connection = await Connection.connect({ address: temporal.address });
  client = new Client({ connection, namespace: temporal.namespace });
  pollers.push(startTemporalPolling(h.ctx, client, { everyMs: 200 }));
  pollers.push(startTemporalPolling(h.ctx, client, { everyMs: 200 }));
}, 90_000);

afterAll(async () => {
  for (const poller of pollers) await poller.stop();
  await worker?.shutdown();
  await connection?.close();
  await temporal?.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}, 60_000);

const executions = (flowId: string) =>
  h.query<{ id: string; state: string; start_date: Date; end_date: Date | null; trigger: unknown }>(
    "select id, state, start_date, end_date, trigger from executions where flow_id = $1 order by start_date",
    [flowId],
  );
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Hits seen once no poll is in flight: a poll claimed just before a change may still be on its way. */
const settledHits = async (name: string) => {
  await pause(1_000);
  return hits.get(name) ?? 0;
};

describe.skipIf(!temporalAvailable)("polling triggers in Temporal mode", () => {
  it("an http.Trigger polls at its interval, starts one workflow once its condition holds, and stopAfter stops it", async () => {
    readyAfter.set("status", 3);
    await h.deploy(`id: wait_for_api
namespace: poll.temporal
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
    const done = await pollUntil(
      () => executions("wait_for_api"),
      (rows) => rows.some((row) => row.state === "SUCCESS"),
      30_000,
      100,
    );
    expect(done).toHaveLength(1);
    const [execution] = done;
    expect(execution?.trigger).toMatchObject({
      id: "api",
      variables: { code: 200, uri: `${base}/status`, body: expect.stringContaining('"ready"') },
    });
    // It ran as a Temporal workflow, not on the embedded engine (whose runtime is not started here); the
    // workflow outlives the SUCCESS state by its "ended" activity (which applies stopAfter).
    const handle = (client as Client).workflow.getHandle(workflowIdOf(TENANT, execution?.id ?? ""));
    await handle.result();
    expect((await handle.describe()).status.name).toBe("COMPLETED");
    // stopAfter: the execution's end disabled the trigger, so it polls no more.
    await pollUntil(
      () => h.query<{ disabled: boolean }>("select disabled from trigger_states where trigger_id = 'api'"),
      (rows) => rows[0]?.disabled === true,
      15_000,
    );
    const polled = await settledHits("status");
    await pause(1_500);
    expect(hits.get("status")).toBe(polled);
    expect(await executions("wait_for_api")).toHaveLength(1);
  }, 60_000);

  it("two pollers share a trigger under its lock (executions one after the other); disabling it stops it", async () => {
    const flow = (disabled: boolean) => `id: always_ready
namespace: poll.temporal
${disabled ? "disabled: true\n" : ""}tasks:
  - { id: wait, type: io.kestra.plugin.core.flow.Sleep, duration: PT0.5S }
triggers:
  - id: ready
    type: io.kestra.plugin.core.http.Trigger
    uri: ${base}/ready
    interval: PT0.2S
`;
    await h.deploy(flow(false));
    const ran = await pollUntil(
      () => executions("always_ready"),
      (rows) => rows.filter((row) => row.state === "SUCCESS").length >= 3,
      60_000,
      100,
    );
    // Kestra's trigger lock, across both pollers: no execution starts before the one before it ended.
    const ended = ran.filter((row) => row.end_date);
    for (let i = 1; i < ended.length; i++)
      expect(ended[i]?.start_date.getTime()).toBeGreaterThanOrEqual(ended[i - 1]?.end_date?.getTime() ?? 0);
    expect(ran.filter((row) => !row.end_date).length).toBeLessThanOrEqual(1);

    // Disabled at run time (the triggers API, Toggle): no poll, no execution.
    const triggers = databaseTriggerService(h.ctx, TENANT);
    await triggers.setEnabled("poll.temporal", "always_ready", "ready", false);
    const polled = await settledHits("ready");
    const count = (await executions("always_ready")).length;
    await pause(1_500);
    expect(hits.get("ready")).toBe(polled);
    expect(await executions("always_ready")).toHaveLength(count);

    // Enabled again it polls again; the flow disabled, it stops again.
    await triggers.setEnabled("poll.temporal", "always_ready", "ready", true);
    await pollUntil(
      async () => hits.get("ready") ?? 0,
      (n) => n > polled,
      15_000,
    );
    await h.deploy(flow(true));
    const stopped = await settledHits("ready");
    await pause(1_500);
    expect(hits.get("ready")).toBe(stopped);
    // Whatever was running when the flow was disabled ends; nothing new starts.
    const rows = await pollUntil(
      () => executions("always_ready"),
      (all) => all.every((row) => row.end_date),
      30_000,
    );
    await pause(500);
    expect(await executions("always_ready")).toHaveLength(rows.length);
  }, 120_000);
});
