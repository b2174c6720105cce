import { type ChildProcess, spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../paths";
import { ensureWritableDirectory, findBlockingDirectory, startEmbeddedPostgres } from "./embedded-postgres";

const isRoot = process.getuid?.() === 0;

describe("findBlockingDirectory", () => {
  const tree: Record<string, { mode: number; uid: number; gid: number }> = {
    "/": { mode: 0o755, uid: 0, gid: 0 },
    "/root": { mode: 0o700, uid: 0, gid: 0 },
    "/root/app": { mode: 0o755, uid: 0, gid: 0 },
    "/srv": { mode: 0o750, uid: 0, gid: 50 },
    "/srv/data": { mode: 0o755, uid: 0, gid: 0 },
    "/home/ann": { mode: 0o700, uid: 1000, gid: 1000 },
  };
  const fakeStat = (p: string) => tree[p];
  const postgres = { uid: 101, gids: [104] };

  it("finds the first ancestor without search permission for the account", () => {
    expect(findBlockingDirectory("/root/app/.data", postgres, fakeStat)).toEqual({
      dir: "/root",
      mode: 0o700,
      uid: 0,
      gid: 0,
    });
  });

  it("uses the group bits for members of the directory's group", () => {
    expect(findBlockingDirectory("/srv/data/pg", postgres, fakeStat)?.dir).toBe("/srv");
    expect(findBlockingDirectory("/srv/data/pg", { uid: 101, gids: [104, 50] }, fakeStat)).toBeUndefined();
  });

  it("uses the owner bits for the owner, and lets root through", () => {
    expect(findBlockingDirectory("/home/ann/x", { uid: 1000, gids: [] }, fakeStat)).toBeUndefined();
    expect(findBlockingDirectory("/home/ann/x", postgres, fakeStat)?.dir).toBe("/home/ann");
    expect(findBlockingDirectory("/root/app", { uid: 0, gids: [0] }, fakeStat)).toBeUndefined();
  });

  it("stops at a file: creating a directory under it fails with its own message", () => {
    const withFile: typeof tree = { ...tree, "/srv/data/file": { mode: 0o100600, uid: 0, gid: 0 } };
    expect(
      findBlockingDirectory("/srv/data/file/x", { uid: 1, gids: [50] }, (p) => withFile[p]),
    ).toBeUndefined();
  });

  it("skips directories that do not exist yet", () => {
    expect(findBlockingDirectory("/srv/data/new/deeper", { uid: 1, gids: [50] }, fakeStat)).toBeUndefined();
  });
});

describe("ensureWritableDirectory", () => {
  it("creates missing levels", async () => {
    const base = await mkdtemp(path.join(os.tmpdir(), "cadenza-mkdir-"));
    await ensureWritableDirectory(path.join(base, "a", "b", "c"));
    expect((await stat(path.join(base, "a", "b", "c"))).isDirectory()).toBe(true);
    await rm(base, { recursive: true, force: true });
  });

  it("fails instead of hanging where directories cannot be made (Node's recursive mkdir loops under /proc)", async () => {
    await expect(ensureWritableDirectory("/proc/cadenza-test/data")).rejects.toThrow(
      "Cannot create the data directory /proc/cadenza-test/data (ENOENT: directories cannot be created there)",
    );
  });

  it("explains what to do when the directory cannot be created", async () => {
    const base = await mkdtemp(path.join(os.tmpdir(), "cadenza-file-"));
    const file = path.join(base, "a-file");
    await writeFile(file, "");
    try {
      await expect(ensureWritableDirectory(path.join(file, "data"))).rejects.toThrow(
        `Cannot create the data directory ${file}/data (ENOTDIR: a parent is not a directory): ` +
          "set CADENZA_DATA_DIR to a writable directory, or set DATABASE_URL to use an existing PostgreSQL.",
      );
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});

describe("startEmbeddedPostgres", () => {
  let base: string;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), "cadenza-embedded-"));
    await chmod(base, 0o755);
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill("SIGKILL");
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  async function count(url: string): Promise<number> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("create table if not exists visits (at timestamptz default now())");
      await client.query("insert into visits default values");
      const result = await client.query<{ n: string }>("select count(*) as n from visits");
      return Number(result.rows[0]?.n);
    } finally {
      await client.end();
    }
  }

  it("keeps its data across restarts, and leaves no process behind", async () => {
    const dataDir = path.join(base, "restarts");
    const progress: string[] = [];
    const first = await startEmbeddedPostgres({ dataDir, onProgress: (m) => progress.push(m) });
    expect(first.url).toMatch(/^postgresql:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/cadenza$/);
    expect(await count(first.url)).toBe(1);
    await first.stop();
    await first.stop();
    expect(isAlive(first.pid)).toBe(false);
    expect(progress.some((m) => m.startsWith("Initialising PostgreSQL"))).toBe(true);

    progress.length = 0;
    const second = await startEmbeddedPostgres({ dataDir, onProgress: (m) => progress.push(m) });
    try {
      expect(progress).toEqual([]); // no second initialisation
      expect(await count(second.url)).toBe(2);
      const credentials = await stat(path.join(dataDir, "pg-credentials.json"));
      expect(credentials.mode & 0o777).toBe(0o600);
    } finally {
      await second.stop();
    }
    expect(isAlive(second.pid)).toBe(false);
  });

  it("recovers from a killed PostgreSQL's stale postmaster.pid", async () => {
    const dataDir = path.join(base, "stale-pid");
    const first = await startEmbeddedPostgres({ dataDir });
    expect(await count(first.url)).toBe(1);
    process.kill(first.pid, "SIGKILL");
    await waitUntil(() => !isAlive(first.pid));
    await first.stop();
    // The pid file is left behind, naming a process that no longer exists.
    await writeFile(
      path.join(dataDir, "pg", "postmaster.pid"),
      `${first.pid}\n${path.join(dataDir, "pg")}\n`,
    );

    const second = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await count(second.url)).toBe(2);
    } finally {
      await second.stop();
    }
  });

  it("stops a PostgreSQL orphaned by a killed Cadenza, then starts on the same data", async () => {
    const dataDir = path.join(base, "orphan");
    const holder = spawn(
      process.execPath,
      ["--import", "tsx", "test/fixtures/hold-embedded-postgres.ts", dataDir],
      {
        cwd: repoRoot,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    children.push(holder);
    const orphanPid = await new Promise<number>((resolve, reject) => {
      let out = "";
      holder.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /ready (\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      holder.once("exit", (code) => reject(new Error(`holder exited with ${code}: ${out}`)));
    });
    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
    expect(isAlive(orphanPid)).toBe(true);

    const progress: string[] = [];
    const server = await startEmbeddedPostgres({ dataDir, onProgress: (m) => progress.push(m) });
    try {
      expect(progress).toContain(
        `Stopping the PostgreSQL (pid ${orphanPid}) that a previous Cadenza left running.`,
      );
      expect(isAlive(orphanPid)).toBe(false);
      expect(await count(server.url)).toBe(1);
    } finally {
      await server.stop();
    }
  });

  it("refuses a data directory that another live Cadenza is using", async () => {
    const dataDir = path.join(base, "busy");
    await mkdir(dataDir, { recursive: true });
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
    children.push(other);
    await writeFile(path.join(dataDir, "cadenza.lock"), `${other.pid}\n`);
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(
      `Another Cadenza (pid ${other.pid}) is using ${dataDir}: stop it first, or set CADENZA_DATA_DIR to another directory.`,
    );
    expect(await readFile(path.join(dataDir, "cadenza.lock"), "utf8")).toBe(`${other.pid}\n`);
  });

  it.skipIf(!isRoot)(
    "as root, says what to do when the postgres user cannot reach the data directory",
    async () => {
      const locked = path.join(base, "locked");
      await mkdir(locked, { mode: 0o700 });
      await chmod(locked, 0o700);
      const dataDir = path.join(locked, "data");
      await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(
        `PostgreSQL runs as the user 'postgres' when Cadenza runs as root, and that user cannot reach the data ` +
          `directory ${dataDir} because ${locked} is mode 0700 (owner uid 0): set CADENZA_DATA_DIR to a directory ` +
          "every user can traverse (e.g. /var/lib/cadenza or /tmp/cadenza), or set DATABASE_URL to use an existing PostgreSQL.",
      );
    },
  );
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
