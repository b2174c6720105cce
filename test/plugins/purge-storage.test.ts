import { mkdtemp, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadFlow } from "@/engine/flow";
import type { FileStorage } from "@/engine/plugin";
import { builtInRegistry } from "@/plugins";
import { openNamespaceAccess } from "@/worker/namespace-access";
import { LocalStorage } from "@/worker/storage/local";
import { MemoryStorage } from "@/worker/storage/memory";
import { errorOf, newEngine, outputsOf, run, taskRun } from "./helpers";

const OLD = new Date("2026-01-01T00:00:00Z");
const RECENT = new Date("2026-06-01T00:00:00Z");

/** A memory storage whose files carry the last-modified dates the test gives them. */
function datedStorage(): { storage: FileStorage; put(uri: string, modified: Date): Promise<void> } {
  const inner = new MemoryStorage();
  const dates = new Map<string, Date>();
  const storage: FileStorage = {
    put: (uri, data) => inner.put(uri, data),
    get: (uri) => inner.get(uri),
    exists: (uri) => inner.exists(uri),
    size: (uri) => inner.size(uri),
    delete: (uri) => inner.delete(uri),
    list: (prefix) => inner.list(prefix),
    modified: async (uri) => ((await inner.exists(uri)) ? (dates.get(uri) ?? new Date()) : undefined),
  };
  return {
    storage,
    async put(uri, modified) {
      await inner.put(uri, "data");
      dates.set(uri, modified);
    },
  };
}

const purgeFlow = (namespace: string, properties: string) => `id: purge
namespace: ${namespace}
tasks:
  - id: purge
    type: io.kestra.plugin.core.storage.PurgeStorage
${properties
  .trim()
  .split("\n")
  .map((line) => `    ${line}`)
  .join("\n")}
`;

describe("core.storage.PurgeStorage (Kestra 2.0's io.kestra.plugin.core.storage.PurgeStorage)", () => {
  const files = {
    goneOld: "kestra:///company/team/gone/executions/e1/tasks/t/r1/out.txt",
    goneOldInput: "kestra:///company/team/gone/executions/e1/inputs/file/in.csv",
    goneRecent: "kestra:///company/team/gone/executions/e2/tasks/t/r2/out.txt",
    child: "kestra:///company/team/sub/etl/executions/e3/tasks/t/r3/out.txt",
    other: "kestra:///other/etl/executions/e4/tasks/t/r4/out.txt",
    namespaceFile: "kestra:///company/team/_files/script.py",
  };
  async function seeded() {
    const dated = datedStorage();
    await dated.put(files.goneOld, OLD);
    await dated.put(files.goneOldInput, OLD);
    await dated.put(files.goneRecent, RECENT);
    await dated.put(files.child, OLD);
    await dated.put(files.other, OLD);
    await dated.put(files.namespaceFile, OLD);
    return dated.storage;
  }
  it("is a dry run by default: it counts the namespace tree's old execution files and deletes nothing", async () => {
    const storage = await seeded();
    const { engine } = newEngine({ storage, namespaceAccess: openNamespaceAccess });
    const purged = await run(
      engine,
      purgeFlow("system", `namespace: company.team\nendDate: "2026-03-01T00:00:00Z"`),
    );
    expect(purged.state.current).toBe("SUCCESS");
    expect(outputsOf(purged, "purge")).toEqual({ scannedCount: 3, purgedCount: 2, deletedFilesCount: 0 });
    expect(taskRun(purged, "purge").attempts.at(-1)?.metrics).toEqual([
      { name: "scanned", type: "counter", value: 3 },
      { name: "purged", type: "counter", value: 2 },
      { name: "deleted.files", type: "counter", value: 0 },
    ]);
    for (const uri of Object.values(files)) expect(await storage.exists(uri)).toBe(true);
  });

  it("deletes the files in the window of the namespace and its children, never namespace files or other namespaces", async () => {
    const storage = await seeded();
    const { engine } = newEngine({ storage, namespaceAccess: openNamespaceAccess });
    const purged = await run(
      engine,
      purgeFlow("system", `namespace: company.team\nendDate: "2026-03-01T00:00:00Z"\ndryRun: false`),
    );
    expect(outputsOf(purged, "purge")).toEqual({ scannedCount: 3, purgedCount: 2, deletedFilesCount: 3 });
    expect(await storage.exists(files.goneOld)).toBe(false);
    expect(await storage.exists(files.goneOldInput)).toBe(false);
    expect(await storage.exists(files.child)).toBe(false);
    for (const kept of [files.goneRecent, files.other, files.namespaceFile])
      expect(await storage.exists(kept)).toBe(true);
  });

  it("narrows to one flow and to files modified after startDate", async () => {
    const storage = await seeded();
    const { engine } = newEngine({ storage, namespaceAccess: openNamespaceAccess });
    const purged = await run(
      engine,
      purgeFlow(
        "system",
        `namespace: company.team\nflowId: gone\nstartDate: "2026-05-01T00:00:00Z"\nendDate: "2026-07-01T00:00:00Z"\ndryRun: false`,
      ),
    );
    expect(outputsOf(purged, "purge")).toEqual({ scannedCount: 2, purgedCount: 1, deletedFilesCount: 1 });
    expect(await storage.exists(files.goneRecent)).toBe(false);
    for (const kept of [files.goneOld, files.child, files.other])
      expect(await storage.exists(kept)).toBe(true);
  });

  it("without a namespace, purges the whole tenant only when the flow reaches every namespace in it", async () => {
    const storage = await seeded();
    // The default boundaries: company.team reaches itself and its ancestors, neither its children nor `other`.
    const { engine } = newEngine({ storage });
    const denied = await run(
      engine,
      purgeFlow("company.team", `endDate: "2026-03-01T00:00:00Z"\ndryRun: false`),
    );
    expect(denied.state.current).toBe("FAILED");
    expect(errorOf(denied, "purge")).toContain("namespace 'company.team' may not reach");
    for (const uri of Object.values(files)) expect(await storage.exists(uri)).toBe(true);

    const open = newEngine({ storage, namespaceAccess: openNamespaceAccess }).engine;
    const purged = await run(open, purgeFlow("system", `endDate: "2026-03-01T00:00:00Z"\ndryRun: false`));
    expect(outputsOf(purged, "purge")).toEqual({ scannedCount: 4, purgedCount: 3, deletedFilesCount: 4 });
    expect(await storage.exists(files.other)).toBe(false);
    expect(await storage.exists(files.namespaceFile)).toBe(true);
  });

  it("refuses a namespace the flow may not reach, even on a dry run", async () => {
    const storage = await seeded();
    const { engine } = newEngine({ storage });
    const denied = await run(
      engine,
      purgeFlow("system", `namespace: company\nendDate: "2026-03-01T00:00:00Z"`),
    );
    expect(errorOf(denied, "purge")).toContain("namespace 'system' may not reach 'company'");
  });

  it("rejects flowId without namespace when the flow is validated", () => {
    const loaded = loadFlow(purgeFlow("system", `flowId: gone\nendDate: "2026-03-01T00:00:00Z"`), {
      registry: builtInRegistry(),
    });
    expect(loaded.errors.map((e) => e.message).join("\n")).toContain("flowId needs namespace");
  });

  it("purges a local storage by the files' modification times", async () => {
    const root = await mkdtemp(join(tmpdir(), "purge-storage-"));
    try {
      const storage = new LocalStorage(root);
      const old = "kestra:///company/gone/executions/e1/tasks/t/r1/out.txt";
      const recent = "kestra:///company/gone/executions/e2/tasks/t/r2/out.txt";
      await storage.put(old, "old");
      await storage.put(recent, "recent");
      await utimes(join(root, "company/gone/executions/e1/tasks/t/r1/out.txt"), OLD, OLD);
      const { engine } = newEngine({ storage, namespaceAccess: openNamespaceAccess });
      const purged = await run(engine, purgeFlow("system", `endDate: "2026-03-01T00:00:00Z"\ndryRun: false`));
      expect(outputsOf(purged, "purge")).toEqual({ scannedCount: 2, purgedCount: 1, deletedFilesCount: 1 });
      expect(await storage.exists(old)).toBe(false);
      expect(await storage.exists(recent)).toBe(true);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
