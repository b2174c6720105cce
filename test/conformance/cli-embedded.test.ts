import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFile } from "@/cli/flows/load-files";
import { runFlowEmbedded } from "@/cli/flows/run-embedded";
import { parseInputs } from "@/cli/flows/run-flow";
import type { Flow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { caseArgs, caseName, checkExpectations, loadCases } from "./corpus";

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
    it(caseName(c), async () => {
      const [file, ...rest] = caseArgs(c) as [string, ...string[]];
      const main = loadFile(file, registry);
      const flows: Flow[] = [];
      const sources = new Map(main.sources);
      const inputs: string[] = [];
      for (let i = 0; i < rest.length; i += 2) {
        if (rest[i] === "--input") inputs.push(rest[i + 1] as string);
        if (rest[i] === "--flows") {
          const other = loadFile(rest[i + 1] as string, registry);
          flows.push(...other.flows);
          for (const [flow, source] of other.sources) sources.set(flow, source);
        }
      }
      expect(parseInputs(inputs)).not.toBeTypeOf("string");
      let stdout = "";
      let stderr = "";
      const result = await runFlowEmbedded(
        {
          flow: main.flows[0] as Flow,
          flows,
          sources,
          inputs,
          registry,
          quiet: true,
          timeoutMs: 60_000,
          databaseUrl: database.url,
          dataDir,
        },
        {
          stdout: (t) => {
            stdout += t;
          },
          stderr: (t) => {
            stderr += t;
          },
        },
      );
      expect(result.code, stderr).toBe(0);
      checkExpectations(JSON.parse(stdout), c.expect);
    }, 60_000);
  }
});
