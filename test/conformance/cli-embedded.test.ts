import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { runFlowEmbedded } from "@/cli/flows/run-embedded";
import { builtInRegistry } from "@/plugins";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { caseName, loadCases } from "./corpus";
import { runCaseInProcess } from "./in-process";

/**
 * Every case of Kestra's conformance corpus through `cadenza flow run --engine embedded`'s code path
 * (runFlowEmbedded: migrations, flows stored as revisions, an engine runtime, PostgreSQL), on a database of
 * this file. Cases share the database and an internal storage directory, as runs on one server do.
 */
let database: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), "cadenza-conformance-"));
}, 60_000);
afterAll(async () => {
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.concurrent("conformance: cadenza flow run --engine embedded", () => {
  const registry = builtInRegistry();
  for (const c of loadCases()) {
    it(
      caseName(c),
      () =>
        runCaseInProcess(c, registry, (options, io) =>
          runFlowEmbedded({ ...options, databaseUrl: database.url, dataDir }, io),
        ),
      60_000,
    );
  }
});
