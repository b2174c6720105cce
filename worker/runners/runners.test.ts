import { readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDirs } from "@/test/temp-dirs";
import { buildEnvironment, SYSTEM_PATH } from "./environment";
import { lineSplitter } from "./lines";
import { LocalProcessRunner } from "./process-runner";
import { parseLine } from "./protocol";
import { spawnProcess } from "./spawn";
import { parseUidRange, UidPool } from "./uid-pool";
import { checkReachable, resolveRunAs } from "./user";
import { resolveInside } from "./workspace";

const IS_ROOT = process.getuid?.() === 0;

const tempDir = tempDirs("cadenza-runners");

describe("the ::{...}:: line protocol", () => {
  it("reads outputs, metrics and logs", () => {
    expect(
      parseLine(
        '::{"outputs":{"a":1},"metrics":[{"name":"n","type":"counter","value":2,"tags":{"k":3}}],"logs":[{"level":"warn","message":"m"}]}::',
      ),
    ).toEqual({
      kind: "message",
      message: {
        outputs: { a: 1 },
        metrics: [{ name: "n", type: "counter", value: 2, tags: { k: "3" } }],
        logs: [{ level: "WARN", message: "m" }],
      },
    });
  });

  it("leaves other lines alone and reports broken ones", () => {
    expect(parseLine("::not json::")).toEqual({ kind: "plain" });
    expect(parseLine(' ::{"outputs":{}}::')).toEqual({ kind: "plain" });
    expect(parseLine("::{nope}::").kind).toBe("invalid");
    expect(parseLine('::{"outputs":[1]}::')).toEqual({ kind: "invalid", error: "outputs must be a map" });
    expect(parseLine('::{"metrics":[{"name":"x","type":"gauge","value":1}]}::')).toEqual({
      kind: "invalid",
      error: "metric 'x': type must be counter or timer",
    });
  });
});

describe("lineSplitter", () => {
  it("splits chunks into UTF-8 lines, across chunk boundaries", () => {
    const lines: string[] = [];
    const split = lineSplitter((line) => lines.push(line), 8);
    const bytes = Buffer.from("é1\r\nsecond\nthird-is-long\nlast");
    split.push(bytes.subarray(0, 1));
    split.push(bytes.subarray(1, 9));
    split.push(bytes.subarray(9));
    split.end();
    expect(lines).toEqual(["é1", "second", "third-is", "-long", "last"]);
  });
});

describe("resolveInside", () => {
  it.each(["../x", "/etc/passwd", "a/../../x", "..", ".", "", "a\0b"])("refuses %j", (path) => {
    expect(() => resolveInside("/base", path)).toThrow(
      "is not a relative file path inside the working directory",
    );
  });

  it("resolves relative paths", () => {
    expect(resolveInside("/base", "a/./b/../c.txt")).toBe("/base/a/c.txt");
  });
});

describe("buildEnvironment", () => {
  it("starts from nothing and keeps the helper paths reachable", () => {
    const env = buildEnvironment({
      workingDir: "/w",
      outputDir: "/o",
      tmpDir: "/t",
      lang: "C.UTF-8",
      binDirs: ["/lib/bin"],
      pythonPath: "/lib/python",
      nodePath: "/lib/node_modules",
      extra: { PYTHONPATH: "/mine", FOO: "bar" },
    });
    expect(env).toEqual({
      PATH: `/lib/bin:${SYSTEM_PATH}`,
      HOME: "/w",
      LANG: "C.UTF-8",
      TMPDIR: "/t",
      WORKING_DIR: "/w",
      OUTPUT_DIR: "/o",
      PYTHONUNBUFFERED: "1",
      PYTHONDONTWRITEBYTECODE: "1",
      FOO: "bar",
      PYTHONPATH: "/mine:/lib/python",
      NODE_PATH: "/lib/node_modules",
    });
  });
});

describe("spawnProcess", () => {
  const base = { cwd: "/", env: { PATH: SYSTEM_PATH }, killGraceMs: 300, onStdout() {}, onStderr() {} };

  it("kills the whole process group on abort, escalating to SIGKILL when SIGTERM is ignored", async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const started = Date.now();
    const done = spawnProcess({
      ...base,
      command: ["/bin/sh", "-c", "trap '' TERM; sleep 30 & echo $!; wait"],
      signal: controller.signal,
      onStdout: (line) => {
        lines.push(line);
        controller.abort();
      },
    });
    const result = await done;
    expect(result.aborted).toBe(true);
    expect(result.exitSignal).toBe("SIGKILL");
    expect(Date.now() - started).toBeLessThan(3_000);
    const child = Number(lines[0]);
    const state = (() => {
      try {
        const stat = readFileSync(`/proc/${child}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      } catch {
        return "gone";
      }
    })();
    expect(["gone", "Z"]).toContain(state);
  });

  it("ends background processes left when the script exits", async () => {
    const lines: string[] = [];
    const result = await spawnProcess({
      ...base,
      command: ["/bin/sh", "-c", "sleep 30 & echo started"],
      signal: new AbortController().signal,
      onStdout: (line) => lines.push(line),
    });
    expect(result).toEqual({ exitCode: 0, exitSignal: null, aborted: false });
    expect(lines).toEqual(["started"]);
  });

  it("rejects a program that does not exist", async () => {
    await expect(
      spawnProcess({ ...base, command: ["/no/such/program"], signal: new AbortController().signal }),
    ).rejects.toThrow("cannot start /no/such/program");
  });
});

describe("the script user", () => {
  it("resolves nobody and refuses root or unknown users", () => {
    expect(resolveRunAs("nobody")).toMatchObject({ name: "nobody", uid: 65534 });
    expect(() => resolveRunAs("root")).toThrow("is root");
    expect(() => resolveRunAs("no-such-user-here")).toThrow("does not exist");
  });

  it("names the directory that the user cannot traverse", async () => {
    const dir = tempDir();
    await mkdir(join(dir, "inner"));
    await chmod(dir, 0o700);
    const nobody = { name: "nobody", uid: 65534, gid: 65534 };
    await expect(checkReachable(join(dir, "inner"), nobody)).rejects.toThrow(`${dir} is mode 0700`);
    await chmod(dir, 0o711);
    await expect(checkReachable(join(dir, "inner"), nobody)).resolves.toBeUndefined();
  });
});

describe("LocalProcessRunner workspaces", () => {
  it("never returns files through symbolic links, and removes the directory", async () => {
    const runner = new LocalProcessRunner({ workDir: join(tmpdir(), "cadenza-work-test") });
    const workspace = await runner.createWorkspace();
    const secret = join(tempDir(), "secret.txt");
    writeFileSync(secret, "do not leak");
    symlinkSync(secret, join(workspace.workingDir, "link.txt"));
    await workspace.writeFile("real.txt", "fine");
    await expect(workspace.writeFile("link.txt", "overwrite?")).rejects.toThrow(/ELOOP/);
    expect(readFileSync(secret, "utf8")).toBe("do not leak");
    const files = await workspace.collect(["*.txt"]);
    expect(files.map((f) => f.path)).toEqual(["real.txt"]);
    await workspace.dispose();
    expect(() => readFileSync(join(workspace.workingDir, "real.txt"))).toThrow();
  });

  it.skipIf(!IS_ROOT)("with isolation off, gives the working directory to the script user", async () => {
    const runner = new LocalProcessRunner({ workDir: join(tmpdir(), "cadenza-work-test"), isolation: false });
    expect(await runner.runAs()).toMatchObject({ uid: 65534 });
    const workspace = await runner.createWorkspace();
    await workspace.writeFile("sub/dir/file.txt", "x");
    const lines: string[] = [];
    const result = await workspace.run({
      command: [
        "/bin/sh",
        "-c",
        "stat -c '%u %a' . sub sub/dir sub/dir/file.txt; echo more >> sub/dir/file.txt",
      ],
      signal: new AbortController().signal,
      onLog: (_, line) => lines.push(line),
    });
    expect(result.exitCode).toBe(0);
    expect(lines).toEqual(["65534 700", "65534 700", "65534 700", "65534 600"]);
    await workspace.dispose();
  });
});

describe("LocalProcessRunner with isolation (the default)", () => {
  it.skipIf(!IS_ROOT)(
    "gives each attempt's files a uid of the range, uid 0 without capabilities inside",
    async () => {
      const runner = new LocalProcessRunner({ workDir: join(tmpdir(), "cadenza-work-test") });
      const workspace = await runner.createWorkspace();
      await workspace.writeFile("sub/file.txt", "x");
      const lines: string[] = [];
      const result = await workspace.run({
        command: ["/bin/sh", "-c", "id -u; grep CapEff /proc/self/status; echo more >> sub/file.txt"],
        signal: new AbortController().signal,
        onLog: (_, line) => lines.push(line),
      });
      expect(result.exitCode).toBe(0);
      expect(lines).toEqual(["0", "CapEff:\t0000000000000000"]);
      const owner = statSync(join(workspace.workingDir, "sub", "file.txt")).uid;
      expect(owner).toBeGreaterThanOrEqual(200_000);
      expect(owner).toBeLessThanOrEqual(265_535);
      expect(readFileSync(join(workspace.workingDir, "sub", "file.txt"), "utf8")).toBe("xmore\n");
      await workspace.dispose();
    },
  );

  it.skipIf(!IS_ROOT)("stops a script with SIGTERM first, then SIGKILL after the grace", async () => {
    const runner = new LocalProcessRunner({ workDir: join(tmpdir(), "cadenza-work-test"), killGraceMs: 300 });
    const stop = async (script: string) => {
      const workspace = await runner.createWorkspace();
      const controller = new AbortController();
      const lines: string[] = [];
      const started = Date.now();
      const result = await workspace.run({
        command: ["/bin/sh", "-c", script],
        signal: controller.signal,
        onLog: (_, line) => {
          lines.push(line);
          if (line === "ready") controller.abort();
        },
      });
      await workspace.dispose();
      return { lines, exitCode: result.exitCode, ms: Date.now() - started };
    };
    const polite = await stop("trap 'echo stopping; exit 3' TERM; echo ready; sleep 30 & wait");
    expect(polite.lines).toEqual(["ready", "stopping"]);
    expect(polite.exitCode).toBe(3);
    const stubborn = await stop("trap '' TERM; echo ready; sleep 30");
    expect(stubborn.lines).toEqual(["ready"]);
    expect(stubborn.exitCode).toBe(null);
    expect(stubborn.ms).toBeLessThan(3_000);
  });
});

describe("UidPool", () => {
  it("never hands one uid to two holders, across pools on one directory (engines), and reclaims dead ones", async () => {
    const dir = join(tempDir(), ".uids");
    const range = { first: 300_000, last: 300_001 };
    const engineA = new UidPool(dir, range);
    const engineB = new UidPool(dir, range);
    const a = await engineA.acquire();
    const b = await engineB.acquire();
    expect(new Set([a, b])).toEqual(new Set([300_000, 300_001]));
    await expect(engineA.acquire()).rejects.toThrow("all 2 script uids (300000-300001) are in use");
    await engineB.release(b);
    expect(await engineA.acquire()).toBe(b);
    // A lock left by an engine that died (no such process) is taken over.
    await engineA.release(b);
    writeFileSync(join(dir, String(b)), "999999999 1");
    expect(await engineB.acquire()).toBe(b);
  });

  it("parses ranges and refuses nonsense", () => {
    expect(parseUidRange("200000-265535")).toEqual({ first: 200_000, last: 265_535 });
    expect(() => parseUidRange("10-5")).toThrow("is not a uid range");
    expect(() => parseUidRange("0-100")).toThrow("is not a uid range");
  });
});
