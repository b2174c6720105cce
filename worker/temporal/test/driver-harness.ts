import { afterAll, beforeAll } from "vitest";
import {
  startTestTemporal,
  TEMPORAL_SKIP_REASON,
  type TestTemporal,
  temporalAvailable,
} from "@/test/temporal";
import { type EmbeddedHarness, TENANT } from "../../embedded/test/harness";
import { TemporalEngineClient } from "../client";
import { waitForTemporal } from "../connection";
import { type RunningTemporalWorker, startTemporalWorker } from "../worker";

export interface TemporalDriverHarness {
  /** The dev server's address and namespace. */
  options(): { address: string; namespace: string };
  /** The Temporal engine client over the embedded harness's context. */
  client(): TemporalEngineClient;
}

/**
 * A Temporal dev server, a worker of the test tenant's queue and a client, over an embedded harness's
 * database, started before a test file's tests and stopped after them; without the installed CLI the file
 * says why its tests are skipped (they use `describe.skipIf(!temporalAvailable)`). A file's own set-up
 * (a runtime, flows) goes in a `beforeAll` of its own, registered after this one, so it runs after it.
 */
export function setUpTemporalDriver(
  h: EmbeddedHarness,
  what: string,
  options: { historyLimit?: number } = {},
): TemporalDriverHarness {
  if (!temporalAvailable) console.warn(`${what} skipped: ${TEMPORAL_SKIP_REASON}`);
  let temporal: TestTemporal | undefined;
  let worker: RunningTemporalWorker | undefined;
  let client: TemporalEngineClient | undefined;
  beforeAll(async () => {
    if (!temporalAvailable) return;
    temporal = await startTestTemporal();
    const server = { address: temporal.address, namespace: temporal.namespace };
    await waitForTemporal(server, 30_000);
    worker = await startTemporalWorker({
      ctx: h.ctx,
      ...server,
      tenantIds: [TENANT],
      ...(options.historyLimit ? { historyLimit: options.historyLimit } : {}),
    });
    client = await TemporalEngineClient.connect(h.ctx, server);
  }, 90_000);
  afterAll(async () => {
    await worker?.shutdown();
    await client?.close();
    await temporal?.stop();
  }, 60_000);
  return {
    options: () => {
      if (!temporal) throw new Error("the Temporal dev server is not running");
      return { address: temporal.address, namespace: temporal.namespace };
    },
    client: () => {
      if (!client) throw new Error("the Temporal client is not connected");
      return client;
    },
  };
}
