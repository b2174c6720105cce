import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startTestTemporal,
  TEMPORAL_SKIP_REASON,
  type TestTemporal,
  temporalAvailable,
} from "@/test/temporal";
import { EngineClient } from "../embedded/api";
import { setUpEmbeddedEngine, TENANT } from "../embedded/test/harness";
import {
  REGIONS,
  subflowFunctionCases,
  subflowFunctionHelpers,
} from "../embedded/test/subflow-function-cases";
import { TemporalEngineClient } from "./client";
import { waitForTemporal } from "./connection";
import { temporalRunner } from "./runner";
import { type RunningTemporalWorker, startTemporalWorker } from "./worker";

/**
 * subflow() (Kestra 2.0's SubflowFunction) in Temporal mode, on a real Temporal dev server: where inputs
 * are rendered (the client creating an execution, outside any workflow) the child runs as a workflow of
 * its own and is waited for; inside workflow code (a flowable's properties, the flow's outputs) the call
 * is refused with its reason.
 */
const h = setUpEmbeddedEngine();

if (!temporalAvailable) console.warn(`Temporal subflow() tests skipped: ${TEMPORAL_SKIP_REASON}`);

let temporal: TestTemporal | undefined;
let worker: RunningTemporalWorker | undefined;
let connection: TemporalEngineClient | undefined;
/** The server's client in Temporal mode: starts go through the Temporal runner. */
let engine: EngineClient | undefined;

beforeAll(async () => {
  if (!temporalAvailable) return;
  temporal = await startTestTemporal();
  const options = { address: temporal.address, namespace: temporal.namespace };
  await waitForTemporal(options, 30_000);
  worker = await startTemporalWorker({ ctx: h.ctx, ...options, tenantIds: [TENANT] });
  connection = await TemporalEngineClient.connect(h.ctx, options);
  engine = new EngineClient(h.ctx, temporalRunner(h.ctx, connection.client));
  await h.deploy(REGIONS);
}, 90_000);
afterAll(async () => {
  await engine?.close();
  await worker?.shutdown();
  await connection?.close();
  await temporal?.stop();
}, 60_000);

const client = () => engine as EngineClient;
const setUp = { h, client, timeoutMs: 90_000 };
const { start, executionsOf } = subflowFunctionHelpers(setUp);

describe.skipIf(!temporalAvailable)("subflow() in Temporal mode", () => {
  subflowFunctionCases(setUp);

  it("refuses a call the workflow renders (a flowable's properties), with its reason, starting nothing", async () => {
    await h.deploy(`id: in-workflow
namespace: company.team
tasks:
  - id: check
    type: core.flow.If
    condition: "{{ subflow('company.team', 'regions').state == 'SUCCESS' }}"
    then:
      - { id: log, type: core.log.Log, message: hi }
`);
    const before = (await executionsOf("regions")).length;
    const ended = await client().waitForEnd(TENANT, (await start("in-workflow")).id, 30_000);
    expect(ended.state.current).toBe("FAILED");
    const check = ended.taskRunList.find((r) => r.taskId === "check");
    const logs = await client().logs(TENANT, ended.id);
    expect(
      [check?.attempts.at(-1)?.error?.message ?? "", ...logs.map((l) => l.message)].join("\n"),
    ).toContain("subflow(): can only be used at flow-input render time");
    expect(await executionsOf("regions")).toHaveLength(before);
  }, 90_000);
});
