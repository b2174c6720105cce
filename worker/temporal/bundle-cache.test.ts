import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cachedWorkflowBundle } from "./bundle-cache";

// Inside the repository (git-ignored .cache) so that webpack finds @temporalio/workflow in node_modules.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
mkdirSync(path.join(root, ".cache"), { recursive: true });
const dir = mkdtempSync(path.join(root, ".cache", "bundle-cache-test-"));
const cacheDir = path.join(dir, "cache");
const workflowsPath = path.join(dir, "workflows.ts");
const options = {
  workflowsPath,
  logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
};
const entryMtime = () => {
  const [entry] = readdirSync(cacheDir).filter((f) => f.endsWith(".json"));
  return statSync(path.join(cacheDir, entry as string)).mtimeMs;
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the workflow bundle cache", () => {
  it("reuses a bundle while its files are unchanged, and bundles again when one changes or appears", async () => {
    writeFileSync(
      workflowsPath,
      'import { greeting } from "./greeting";\nexport async function hello() { return greeting; }\n',
    );
    writeFileSync(path.join(dir, "greeting.ts"), 'export const greeting = "first-version";\n');
    const first = await cachedWorkflowBundle(options, cacheDir);
    expect(first.code).toContain("first-version");
    const written = entryMtime();

    const again = await cachedWorkflowBundle(options, cacheDir);
    expect(again.code).toBe(first.code);
    expect(entryMtime()).toBe(written);

    writeFileSync(path.join(dir, "greeting.ts"), 'export const greeting = "second-version";\n');
    const edited = await cachedWorkflowBundle(options, cacheDir);
    expect(edited.code).toContain("second-version");
    expect(edited.code).not.toContain("first-version");

    // A file that an import now resolves to instead (greeting/index.ts loses to greeting.ts, so move it).
    rmSync(path.join(dir, "greeting.ts"));
    mkdirSync(path.join(dir, "greeting"));
    writeFileSync(path.join(dir, "greeting", "index.ts"), 'export const greeting = "third-version";\n');
    const moved = await cachedWorkflowBundle(options, cacheDir);
    expect(moved.code).toContain("third-version");
  }, 120_000);
});
