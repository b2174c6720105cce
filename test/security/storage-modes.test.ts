// Issue 17: what the engine keeps on disk is private to its user — the storage (every tenant's files), the
// data directory, and the embedded PostgreSQL's log (every tenant's failing SQL) — so that a script running
// as another user (isolation off) or anything else on the machine cannot read them.
import { execFileSync } from "node:child_process";
import { chownSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/server/db/embedded-postgres";
import { dataDirMode, secureDataDirectory } from "@/server/runtime/data-dir";
import { LocalProcessRunner } from "@/worker/runners";
import { LocalStorage } from "@/worker/storage";

const IS_ROOT = process.getuid?.() === 0;
const mode = (path: string) => statSync(path).mode & 0o7777;
const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), "cadenza-modes-"));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("local storage modes", () => {
  it("creates directories 0700 and files 0600, whatever the umask", async () => {
    const root = join(await tempDir(), "storage");
    const storage = new LocalStorage(root);
    const previous = process.umask(0);
    try {
      await storage.put("kestra:///tenant-a/ns/flow/file.txt", "A's data");
    } finally {
      process.umask(previous);
    }
    expect(mode(join(root, "tenant-a"))).toBe(0o700);
    expect(mode(join(root, "tenant-a", "ns", "flow"))).toBe(0o700);
    expect(mode(join(root, "tenant-a", "ns", "flow", "file.txt"))).toBe(0o600);
  });

  it.skipIf(!IS_ROOT)(
    "with isolation off, a script (as nobody) cannot list or read the storage",
    async () => {
      const dataDir = await tempDir();
      await secureDataDirectory(dataDir, () => {});
      const storage = new LocalStorage(join(dataDir, "storage"));
      await storage.put("kestra:///tenant-a/ns/flow/file.txt", "A's data");
      const file = join(dataDir, "storage", "tenant-a", "ns", "flow", "file.txt");
      const runner = new LocalProcessRunner({
        isolation: false,
        workDir: join(tmpdir(), "cadenza-modes-work"),
      });
      const workspace = await runner.createWorkspace();
      const lines: string[] = [];
      await workspace.run({
        command: [
          "/bin/sh",
          "-c",
          `ls ${join(dataDir, "storage")} 2>&1; cat ${file} 2>&1; ls ${dataDir} 2>&1`,
        ],
        signal: new AbortController().signal,
        onLog: (_, line) => lines.push(line),
      });
      await workspace.dispose();
      expect(lines.join("\n")).not.toContain("A's data");
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(new RegExp(`^ls: cannot .*'${join(dataDir, "storage")}': Permission denied$`));
      expect(lines[1]).toBe(`cat: ${file}: Permission denied`);
      expect(lines[2]).toBe(`ls: cannot open directory '${dataDir}': Permission denied`);
    },
  );
});

describe("the data directory at start", () => {
  it("repairs a directory readable by others, with a warning", async () => {
    const dataDir = await tempDir();
    await chmod(dataDir, 0o755);
    mkdirSync(join(dataDir, "storage"), { mode: 0o777 });
    await chmod(join(dataDir, "storage"), 0o777);
    const warnings: string[] = [];
    await secureDataDirectory(dataDir, (message) => warnings.push(message));
    expect(mode(dataDir)).toBe(dataDirMode());
    expect(mode(join(dataDir, "storage"))).toBe(0o700);
    expect(warnings).toEqual([
      `${dataDir} was mode 0755, readable by other users of this machine: set to ${dataDirMode().toString(8).padStart(4, "0")}.`,
      `${join(dataDir, "storage")} was mode 0777, readable by other users of this machine: set to 0700.`,
    ]);
    // Once private, nothing more to say.
    warnings.length = 0;
    await secureDataDirectory(dataDir, (message) => warnings.push(message));
    expect(warnings).toEqual([]);
  });

  it("creates a missing one private, silently", async () => {
    const dataDir = join(await tempDir(), "new", "data");
    const warnings: string[] = [];
    await secureDataDirectory(dataDir, (message) => warnings.push(message));
    expect(mode(dataDir)).toBe(dataDirMode());
    expect(mode(join(dataDir, "storage"))).toBe(0o700);
    expect(warnings).toEqual([]);
  });

  it.skipIf(!IS_ROOT)("refuses a directory owned by another user", async () => {
    const dataDir = await tempDir();
    chownSync(dataDir, 65534, 65534);
    await expect(secureDataDirectory(dataDir, () => {})).rejects.toThrow(
      `${dataDir} belongs to uid 65534, not to the user Cadenza runs as (uid 0)`,
    );
  });
});

describe("the embedded PostgreSQL's log", () => {
  it("is created 0600 (and an older world-readable one is made private)", { timeout: 120_000 }, async () => {
    const dataDir = await tempDir();
    // As root, PostgreSQL runs as `postgres`, which must traverse the data directory to its pg/.
    await chmod(dataDir, 0o755);
    writeFileSync(join(dataDir, "postgres.log"), "an old line\n", { mode: 0o644 });
    await chmod(join(dataDir, "postgres.log"), 0o644);
    const server = await startEmbeddedPostgres({ dataDir, settings: { fsync: "off" } });
    try {
      const log = join(dataDir, "postgres.log");
      expect(mode(log)).toBe(0o600);
      expect(statSync(log).uid).toBe(process.getuid?.());
      expect(mode(dataDir)).toBe(dataDirMode());
      if (IS_ROOT) {
        // Still readable for nobody else: `nobody` cannot read it, and PostgreSQL kept working as `postgres`.
        const read = (() => {
          try {
            return execFileSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "cat", log], {
              encoding: "utf8",
              stdio: "pipe",
            });
          } catch (error) {
            return String((error as { stderr?: string }).stderr);
          }
        })();
        expect(read).toContain("Permission denied");
      }
    } finally {
      await server.stop();
    }
  });
});
