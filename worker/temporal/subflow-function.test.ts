import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { temporalAvailable } from "@/test/temporal";
import { EngineClient } from "../embedded/api";
import { setUpEmbeddedEngine, TENANT } from "../embedded/test/harness";
import {
  REGIONS,
  subflowFunctionCases,
  subflowFunctionHelpers,
} from "../embedded/test/subflow-function-cases";
import { temporalRunner } from "./runner";
import { setUpTemporalDriver } from "./test/driver-harness";

/**
 * subflow() (Kestra 2.0's SubflowFunction) in Temporal mode, on a real Temporal dev server: where inputs
 * are rendered (the client creating an execution, outside any workflow) the child runs as a workflow of
 * its own and is waited for; inside workflow code (a flowable's properties, the flow's outputs) the call
 * is refused with its reason.
 */
const h = setUpEmbeddedEngine();

const driver = setUpTemporalDriver(h, "Temporal subflow() tests");
/** The server's client in Temporal mode: starts go through the Temporal runner. */
let engine: EngineClient | undefined;
beforeAll(async () => {
  if (!temporalAvailable) return;
  engine = new EngineClient(h.ctx, temporalRunner(h.ctx, driver.client().client));
  await h.deploy(REGIONS);
});
afterAll(async () => {
  await engine?.close();
});

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
