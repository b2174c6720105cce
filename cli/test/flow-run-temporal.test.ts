import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import {
  startTestTemporal,
  TEMPORAL_SKIP_REASON,
  type TestTemporal,
  temporalAvailable,
} from "@/test/temporal";
import { waitForTemporal } from "@/worker/temporal/connection";
import { main } from "../main";

/**
 * `cadenza flow run FILE --engine temporal` through the CLI's main: on TEMPORAL_ADDRESS's server, and
 * without one on the installed dev server it starts (data in CADENZA_DATA_DIR) and stops. Skipped (not
 * passed) without a Temporal binary.
 */
if (!temporalAvailable) console.warn(`flow run --engine temporal skipped: ${TEMPORAL_SKIP_REASON}`);

async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const hello = `id: hello
namespace: company.team
inputs:
  - { id: name, type: STRING, defaults: world }
outputs:
  - { id: greeting, type: STRING, value: "{{ outputs.greet.value }}" }
tasks:
  - { id: greet, type: io.kestra.plugin.core.debug.Return, format: "Hello {{ inputs.name }}" }
  - { id: say, type: io.kestra.plugin.core.log.Log, message: "{{ outputs.greet.value }}" }
`;

describe.skipIf(!temporalAvailable)("cadenza flow run --engine temporal", () => {
  let database: TestDatabase | undefined;
  let temporal: TestTemporal | undefined;
  let dataDir = "";
  let flowFile = "";
  const saved = {
    DATABASE_URL: process.env.DATABASE_URL,
    CADENZA_DATA_DIR: process.env.CADENZA_DATA_DIR,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
  };
  beforeAll(async () => {
    [database, temporal] = await Promise.all([createTestDatabase(), startTestTemporal()]);
    await waitForTemporal({ address: temporal.address, namespace: temporal.namespace }, 30_000);
    dataDir = mkdtempSync(join(tmpdir(), "cadenza-cli-temporal-"));
    flowFile = join(dataDir, "hello.yaml");
    writeFileSync(flowFile, hello);
    process.env.DATABASE_URL = database.url;
    process.env.CADENZA_DATA_DIR = dataDir;
  }, 90_000);
  afterAll(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await temporal?.stop();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it("runs the flow as a workflow on TEMPORAL_ADDRESS's server", async () => {
    process.env.TEMPORAL_ADDRESS = temporal?.address;
    const result = await cli("flow", "run", flowFile, "--engine", "temporal", "-i", "name=Ada");
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      state: { current: "SUCCESS" },
      outputs: { greeting: "Hello Ada" },
    });
    expect(result.stderr).toMatch(/INFO {2}say: Hello Ada/);
    expect(existsSync(join(dataDir, "temporal"))).toBe(false);
  }, 90_000);

  it("without TEMPORAL_ADDRESS starts the installed dev server with its data in the data directory", async () => {
    delete process.env.TEMPORAL_ADDRESS;
    const result = await cli("flow", "run", flowFile, "--engine", "temporal", "-i", "name=Grace");
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ outputs: { greeting: "Hello Grace" } });
    expect(result.stderr).toContain(
      `Starting a local Temporal server (data in ${join(dataDir, "temporal", "temporal.db")})`,
    );
    expect(existsSync(join(dataDir, "temporal", "temporal.db"))).toBe(true);
  }, 120_000);
});
