/**
 * Resident memory of `cadenza start` (not a test): `npx tsx bench/memory.ts`. On a fresh data directory it
 * runs the real server (as `npm start` does; the first start builds the app), waits for it to settle and
 * reads the memory of its processes from /proc (proportional set sizes, so pages PostgreSQL's processes
 * share count once), grouped: Cadenza's Node processes, and the embedded
 * PostgreSQL. Then it deploys a 2-task flow and starts executions through the REST API, BENCH_EXECUTIONS
 * (default 500) with BENCH_IN_FLIGHT (16) at a time, sampling the peak meanwhile, and reads it again
 * once they have ended. Goal (#16): at most 300 MB idle.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BENCH_EMAIL, withServer } from "./execution-page-ui";
import { processTree } from "./proc";

const EXECUTIONS = Number(process.env.BENCH_EXECUTIONS ?? 500);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 16);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 20_000);
const PAGE_BYTES = 4096;

/**
 * A process's proportional set size (its private pages, plus its share of each page it shares), in bytes:
 * PostgreSQL's processes share its buffers, which their resident sizes would count once per process.
 */
function proportional(pid: number): number | undefined {
  try {
    const line = /^Pss:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return line ? Number(line[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Memory (PSS, else RSS) of `root` and its descendants in MiB, Node's and PostgreSQL's apart. */
function residentOf(root: number): { node: number; postgres: number; processes: Record<string, string> } {
  const total = { node: 0, postgres: 0 };
  const processes: Record<string, string> = {};
  for (const { pid, comm, fields } of processTree(root)) {
    // rss (in pages) is field 24 of proc(5).
    const bytes = proportional(pid) ?? Number(fields[21]) * PAGE_BYTES;
    if (comm === "postgres") total.postgres += bytes;
    else {
      total.node += bytes;
      processes[`${pid} ${commandOf(pid)}`] = mib(bytes / 2 ** 20);
    }
  }
  return { node: total.node / 2 ** 20, postgres: total.postgres / 2 ** 20, processes };
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim().slice(0, 90);
  } catch {
    return "?";
  }
}

/** The server's process group leader: the `cadenza start` this process spawned. */
function serverPid(): number {
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === process.pid && cmdline.includes("start")) return pid;
    } catch {
      // ended meanwhile
    }
  }
  throw new Error("cadenza start's process not found");
}

/** An API token for the bench's Admin, made by the CLI against the running server's database. */
function createToken(dataDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "bin/cadenza.mjs",
        "token",
        "create",
        "--tenant",
        "main",
        "--email",
        BENCH_EMAIL,
        "--name",
        "memory-bench",
      ],
      { env: { ...process.env, CADENZA_DATA_DIR: dataDir }, stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += String(chunk);
    });
    child.once("exit", (code) => {
      const token = out.trim().split("\n").at(-1);
      if (code === 0 && token) resolve(token);
      else reject(new Error(`cadenza token create exited with ${code}`));
    });
  });
}

const mib = (value: number) => `${value.toFixed(0)} MiB`;

const dataDir = mkdtempSync(join(tmpdir(), "cadenza-bench-memory-"));
chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as `postgres` when we are root
const port = Number(process.env.BENCH_PORT ?? 3119);
try {
  await withServer(dataDir, port, async (base) => {
    const pid = serverPid();
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const idle = residentOf(pid);

    const token = await createToken(dataDir);
    const api = (method: string, path: string, body?: string, type = "application/json") =>
      fetch(`${base}/api/v1/main/${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": type } : {}) },
        ...(body ? { body } : {}),
      });
    const yaml = `id: two\nnamespace: bench\ntasks:\n  - { id: a, type: io.kestra.plugin.core.log.Log, message: a }\n  - { id: b, type: io.kestra.plugin.core.debug.Return, format: b }\n`;
    const deployed = await api("POST", "flows", yaml, "application/x-yaml");
    if (!deployed.ok) throw new Error(`deploy: ${deployed.status} ${await deployed.text()}`);

    let peak = { node: 0, postgres: 0 };
    const sampler = setInterval(() => {
      const now = residentOf(pid);
      peak = { node: Math.max(peak.node, now.node), postgres: Math.max(peak.postgres, now.postgres) };
    }, 250);
    let started = 0;
    const began = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (started < EXECUTIONS) {
          started++;
          const response = await api("POST", "executions/bench/two?wait=true", "{}");
          if (!response.ok) throw new Error(`start: ${response.status} ${await response.text()}`);
        }
      }),
    );
    const seconds = (performance.now() - began) / 1000;
    clearInterval(sampler);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const after = residentOf(pid);

    console.log(`cadenza start, memory (PSS; the embedded PostgreSQL apart); goal: <= 300 MB idle`);
    console.table({
      "idle, after start": { Cadenza: mib(idle.node), PostgreSQL: mib(idle.postgres) },
      [`peak, ${EXECUTIONS} 2-task executions by REST, ${IN_FLIGHT} in flight (${(EXECUTIONS / seconds).toFixed(0)}/s)`]:
        { Cadenza: mib(peak.node), PostgreSQL: mib(peak.postgres) },
      "idle again, after them": { Cadenza: mib(after.node), PostgreSQL: mib(after.postgres) },
    });
    console.log("Cadenza's processes, idle after start:");
    console.table(idle.processes);
  });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
