// Issue 17: tenant B's script against what tenant A has on the same engine. Each test reproduces the attack
// that worked when every script ran as `nobody` in the host's namespaces, and asserts it now fails.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Workspace } from "@/engine/plugin";
import { secureDataDirectory } from "@/server/runtime/data-dir";
import { ISOLATION_HINT, LocalProcessRunner, NETWORK_HINT, type ScriptNetwork } from "@/worker/runners";
import { ownAddresses } from "@/worker/runners/sandbox";
import { LocalStorage } from "@/worker/storage";
import { tempDirs } from "../temp-dirs";

const IS_ROOT = process.getuid?.() === 0;
const HAS_BWRAP = existsSync("/usr/bin/bwrap");
const HAS_SLIRP = existsSync("/usr/bin/slirp4netns");
const tempDir = tempDirs("cadenza-security");
const workDir = tempDir();
const runners = new Map<ScriptNetwork, LocalProcessRunner>();
const runnerFor = (network: ScriptNetwork = "isolated") => {
  let runner = runners.get(network);
  if (!runner) {
    runner = new LocalProcessRunner({ workDir, network });
    runners.set(network, runner);
  }
  return runner;
};

async function runIn(workspace: Workspace, script: string, env: Record<string, string> = {}) {
  const lines: string[] = [];
  const result = await workspace.run({
    command: ["/bin/sh", "-c", script],
    env,
    signal: new AbortController().signal,
    onLog: (_, line) => lines.push(line),
  });
  return { exitCode: result.exitCode, lines, text: lines.join("\n") };
}

/** Host pids whose command line has the argument `marker` (and which are not zombies). */
function pidsRunning(marker: string): number[] {
  return hostPids().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(marker);
    } catch {
      return false;
    }
  });
}

function hostPids(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
      } catch {
        return false;
      }
    });
}

function uidOf(pid: number): number | undefined {
  try {
    return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
  } catch {
    return undefined;
  }
}

async function until(check: () => boolean, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

const unique = (n: number) => `${n}.${process.pid % 1000}${Date.now() % 100000}`;

describe.skipIf(!HAS_BWRAP)("tenant B's script against tenant A's (isolation on)", () => {
  afterAll(() => runners.clear());

  it("(a) cannot see A's processes, environment or working directory", async () => {
    const runner = runnerFor();
    const a = await runner.createWorkspace();
    const b = await runner.createWorkspace();
    const secret = "tenant-A-secret-4f1c9e";
    const marker = unique(71);
    await a.writeFile("a-private-notes.txt", "A's notes");
    const holding = runIn(a, `echo started; sleep ${marker}`, { API_TOKEN: secret });
    try {
      expect(await until(() => pidsRunning(marker).length === 1)).toBe(true);
      // The attack: every environ and cwd of /proc, then A's directory by its absolute path.
      const attack = await runIn(
        b,
        [
          "for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < $f 2>/dev/null; done",
          "for d in /proc/*/cwd; do readlink $d 2>/dev/null; ls $d/ 2>/dev/null; done",
          `ls -la ${a.workingDir} 2>&1 || true`,
          `ls ${join(a.workingDir, "..")} 2>&1 || true`,
          // The marker through a file, so that no command line of B's own holds it.
          `printf %s "$MARK" > mark; grep -l -F -f mark /proc/[0-9]*/cmdline 2>/dev/null | sed 's/^/seen: /'`,
          "echo pids: $(ls /proc | grep -E '^[0-9]+$' | tr '\\n' ' ')",
        ].join("\n"),
        { MARK: marker },
      );
      expect(attack.text).not.toContain(secret);
      expect(attack.text).not.toContain("a-private-notes");
      expect(attack.lines.filter((l) => l.startsWith("seen: "))).toEqual([]);
      expect(attack.text).toContain(`ls: cannot access '${a.workingDir}': No such file or directory`);
      // Only the sandbox's own processes: its init, the shell and what the shell runs (small pids of its
      // own namespace), not the hundreds of the machine.
      const pids = (attack.lines.find((l) => l.startsWith("pids:")) ?? "")
        .split(" ")
        .slice(1)
        .filter(Boolean);
      expect(pids.length).toBeGreaterThan(0);
      expect(pids.length).toBeLessThanOrEqual(8);
      expect(pids.map(Number).every((pid) => pid < 100)).toBe(true);
    } finally {
      for (const pid of pidsRunning(marker)) process.kill(pid, "SIGKILL");
      await holding;
      await a.dispose();
      await b.dispose();
    }
  });

  it("(b) cannot list or read the storage or the data directory", async () => {
    const dataDir = tempDir();
    await secureDataDirectory(dataDir, () => {});
    const storage = new LocalStorage(join(dataDir, "storage"));
    const uri = "kestra:///tenant-a/company/team/flow/report.csv";
    await storage.put(uri, "tenant A's private report");
    const file = join(dataDir, "storage", "tenant-a", "company", "team", "flow", "report.csv");
    expect(readFileSync(file, "utf8")).toBe("tenant A's private report");

    const b = await runnerFor().createWorkspace();
    try {
      const attack = await runIn(
        b,
        [
          `find ${dataDir} 2>&1`,
          `cat ${file} 2>&1`,
          `ls ${join(dataDir, "storage")} 2>&1`,
          "ls / /root /home /work 2>&1",
          `ls ${process.cwd()} 2>&1`,
        ].join("\n"),
      );
      expect(attack.text).not.toContain("private report");
      expect(attack.text).toMatch(new RegExp(`find: .${dataDir}.: No such file or directory`));
      expect(attack.text).toContain(`cat: ${file}: No such file or directory`);
      expect(attack.text).toContain("ls: cannot access '/root': No such file or directory");
      expect(attack.text).toContain("ls: cannot access '/work': No such file or directory");
      expect(attack.text).toContain(`ls: cannot access '${process.cwd()}': No such file or directory`);
    } finally {
      await b.dispose();
    }
  });

  it.skipIf(!IS_ROOT)(
    "(c) leaves nothing running after the attempt: setsid -f and a double fork die with it",
    async () => {
      const workspace = await runnerFor().createWorkspace();
      const uid = statSync(workspace.workingDir).uid;
      const escaped = unique(72);
      const forked = unique(73);
      const result = await runIn(
        workspace,
        `setsid -f sleep ${escaped}\nsh -c '(sleep ${forked} &) &'\nsleep 0.2\necho done`,
      );
      expect(result.lines).toEqual(["done"]);
      // As soon as run() returns: the sandbox's pid namespace went with its init.
      expect(pidsRunning(escaped)).toEqual([]);
      expect(pidsRunning(forked)).toEqual([]);
      expect(hostPids().filter((pid) => uidOf(pid) === uid)).toEqual([]);
      await workspace.dispose();
    },
  );

  it.skipIf(!IS_ROOT)("(d) gives two concurrent attempts different uids, outside the engine's", async () => {
    const runner = runnerFor();
    const first = await runner.createWorkspace();
    const second = await runner.createWorkspace();
    const markers = [unique(74), unique(75)];
    const running = [runIn(first, `sleep ${markers[0]} & wait`), runIn(second, `sleep ${markers[1]} & wait`)];
    try {
      expect(await until(() => markers.every((m) => pidsRunning(m).length === 1))).toBe(true);
      const uids = markers.map((m) => uidOf(pidsRunning(m)[0] as number));
      expect(uids[0]).not.toBe(uids[1]);
      for (const uid of uids) expect(uid).toBeGreaterThanOrEqual(200_000);
      expect(statSync(first.workingDir).uid).toBe(uids[0]);
      expect(statSync(second.workingDir).uid).toBe(uids[1]);
    } finally {
      for (const pid of markers.flatMap(pidsRunning)) process.kill(pid, "SIGKILL");
      await Promise.all(running);
      await first.dispose();
      await second.dispose();
    }
  });

  describe("(e) the script network", () => {
    const answer = "engine-private-service";
    let servers: net.Server[] = [];
    const listen = async (host: string) => {
      const server = net.createServer((socket) => socket.end(`${answer}\n`));
      await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
      servers.push(server);
      return (server.address() as net.AddressInfo).port;
    };
    afterAll(async () => {
      for (const server of servers) await new Promise((resolve) => server.close(resolve));
      servers = [];
    });
    const connect = (host: string, port: number) =>
      `timeout 3 bash -c 'exec 3<>/dev/tcp/${host}/${port} && cat <&3' 2>&1 || echo "no connection to ${host}"`;

    it("host: reaches the engine's loopback (the control: the probe does detect a connection)", async () => {
      const port = await listen("127.0.0.1");
      const workspace = await runnerFor("host").createWorkspace();
      const result = await runIn(workspace, connect("127.0.0.1", port));
      await workspace.dispose();
      expect(result.text).toContain(answer);
    });

    it("none: cannot connect to a server of the engine's machine on 127.0.0.1", async () => {
      const port = await listen("127.0.0.1");
      const workspace = await runnerFor("none").createWorkspace();
      const result = await runIn(workspace, `${connect("127.0.0.1", port)}\nip -o link | cut -d: -f2`);
      await workspace.dispose();
      expect(result.text).not.toContain(answer);
      expect(result.text).toContain("no connection to 127.0.0.1");
      expect(result.lines.filter((l) => /^\s*\w+$/.test(l)).map((l) => l.trim())).toEqual(["lo"]);
    });

    it.skipIf(!HAS_SLIRP)(
      "isolated: cannot connect to the engine's machine on 127.0.0.1, through slirp's host alias, or on its own address",
      async () => {
        const loopbackPort = await listen("127.0.0.1");
        const anyPort = await listen("0.0.0.0");
        const own = ownAddresses();
        const workspace = await runnerFor("isolated").createWorkspace();
        const result = await runIn(
          workspace,
          [
            connect("127.0.0.1", loopbackPort),
            connect("10.0.2.2", loopbackPort),
            connect("10.0.2.2", anyPort),
            ...own.map((address) => connect(address, anyPort)),
            "ip -o -4 addr show tap0 | grep -o 'inet [0-9.]*'",
          ].join("\n"),
        );
        await workspace.dispose();
        expect(result.text).not.toContain(answer);
        expect(result.text).toContain("no connection to 127.0.0.1");
        expect(result.text).toContain("no connection to 10.0.2.2");
        for (const address of own) expect(result.text).toContain(`no connection to ${address}`);
        // It does have a network of its own, through slirp4netns.
        expect(result.text).toContain("inet 10.0.2.100");
      },
    );
  });

  it("(f) refuses to run scripts unisolated when bubblewrap is missing", async () => {
    const canary = join(tmpdir(), `cadenza-security-canary-${process.pid}`);
    const runner = new LocalProcessRunner({ workDir, bwrapPath: "/nonexistent/bwrap" });
    await expect(runner.createWorkspace()).rejects.toThrow(ISOLATION_HINT);
    expect(ISOLATION_HINT).toBe(
      "script isolation needs bubblewrap and user namespaces: apt-get install bubblewrap, or set CADENZA_SCRIPT_ISOLATION=off for a single-team install",
    );
    expect(existsSync(canary)).toBe(false);
    const noSlirp = new LocalProcessRunner({ workDir, slirp4netnsPath: "/nonexistent/slirp4netns" });
    await expect(noSlirp.createWorkspace()).rejects.toThrow(NETWORK_HINT);
  });
});
