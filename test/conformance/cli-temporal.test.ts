import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFile } from "@/cli/flows/load-files";
import { parseInputs } from "@/cli/flows/run-flow";
import { runFlowTemporal } from "@/cli/flows/run-temporal";
import type { Flow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import {
  startTestTemporal,
  TEMPORAL_SKIP_REASON,
  type TestTemporal,
  temporalAvailable,
} from "@/test/temporal";
import { caseArgs, caseName, checkExpectations, loadCases } from "./corpus";

/**
 * Every case of Kestra's conformance corpus through the Temporal driver (`runFlowTemporal`: PostgreSQL
 * read model, a Temporal worker, each execution a workflow on a real Temporal dev server), with the
 * embedded engine's expectations. Cases the driver cannot run yet are listed here, with why: they run
 * and must fail (so one that starts passing is noticed), and the list is printed.
 */
const EXPECTED_MISSING: Record<string, string> = {};

if (!temporalAvailable) console.warn(`conformance on Temporal skipped: ${TEMPORAL_SKIP_REASON}`);
else if (Object.keys(EXPECTED_MISSING).length > 0)
  console.warn(
    `conformance on Temporal, expected missing:\n${Object.entries(EXPECTED_MISSING)
      .map(([name, why]) => `  ${name}: ${why}`)
      .join("\n")}`,
  );

let database: TestDatabase;
let dataDir: string;
let temporal: TestTemporal;
beforeAll(async () => {
  if (!temporalAvailable) return;
  [database, temporal] = await Promise.all([createTestDatabase(), startTestTemporal()]);
  dataDir = mkdtempSync(join(tmpdir(), "cadenza-conformance-temporal-"));
}, 60_000);
afterAll(async () => {
  await temporal?.stop();
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!temporalAvailable).concurrent("conformance: cadenza flow run --engine temporal", () => {
  const registry = builtInRegistry();
  for (const c of loadCases()) {
    const name = caseName(c);
    const run = async () => {
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
      const result = await runFlowTemporal(
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
          temporalAddress: temporal.address,
          temporalNamespace: temporal.namespace,
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
    };
    if (EXPECTED_MISSING[name])
      it.fails(`${name} (expected missing: ${EXPECTED_MISSING[name]})`, run, 90_000);
    else it(name, run, 90_000);
  }
});
