import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { type FlowRunner, openFlowRunner } from "@/cli/flows/run-embedded";
import { builtInRegistry } from "@/plugins";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { caseName, loadCases } from "./corpus";
import { runCaseInProcess } from "./in-process";

/**
 * Every case of Kestra's conformance corpus through `cadenza flow run --engine embedded`'s code path
 * (runFlowEmbedded's runner: migrations, flows stored as revisions, an engine runtime, PostgreSQL), on a
 * database of this file. Cases share the database, the runtime and an internal storage directory, as runs
 * on one server do (cli/test/flow-commands.test.ts runs the command itself, set-up and all).
 */
let database: TestDatabase;
let dataDir: string;
let runner: FlowRunner;
beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), "cadenza-conformance-"));
  runner = await openFlowRunner(
    { databaseUrl: database.url, dataDir, quiet: true },
    { stdout: () => {}, stderr: (text) => process.stderr.write(text) },
  );
}, 60_000);
afterAll(async () => {
  await runner?.close();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.concurrent("conformance: cadenza flow run --engine embedded", () => {
  const registry = builtInRegistry();
  for (const c of loadCases()) {
    it(caseName(c), () => runCaseInProcess(c, registry, (options, io) => runner.run(options, io)), 60_000);
  }
});
