// One unprivileged uid per running attempt, so that no two scripts ever share a user (they could otherwise
// signal, ptrace or read each other's files). Several engine processes on one machine share the range: a
// uid is taken by creating `{dir}/{uid}` with O_EXCL (holding the engine's pid and start time), which is
// atomic on a local filesystem; a file left by an engine that died is reclaimed. Written here rather than
// taken from a library: there is no maintained npm package for this, and it is a few lines of O_EXCL.
import { constants, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, open, readdir, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";

export interface UidRange {
  first: number;
  last: number;
}

export const DEFAULT_UID_RANGE: UidRange = { first: 200_000, last: 265_535 };

/** Parses `200000-265535`; throws a message naming the expected form. */
export function parseUidRange(text: string): UidRange {
  const match = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(text);
  const first = Number(match?.[1]);
  const last = Number(match?.[2]);
  if (!match || first < 1000 || last < first || last > 4_294_967_294) {
    throw new Error(
      `'${text}' is not a uid range: give first-last, e.g. 200000-265535 (first at least 1000)`,
    );
  }
  return { first, last };
}

/** This process's identity in lock files: pid and kernel start time, so a reused pid is not taken for us. */
function processIdentity(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22 (starttime), counted after the parenthesised command name, which may hold spaces.
    return `${pid} ${stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]}`;
  } catch {
    return undefined;
  }
}

const SELF = processIdentity(process.pid) ?? `${process.pid} ?`;

export class UidPool {
  private readonly held = new Set<number>();
  private next: number;

  constructor(
    private readonly dir: string,
    private readonly range: UidRange = DEFAULT_UID_RANGE,
  ) {
    // Start at a random place: engines starting together do not all race for the same first uids.
    this.next = range.first + Math.floor(Math.random() * (range.last - range.first + 1));
  }

  /** Takes a free uid (its gid is the same number). Throws when every uid of the range is in use. */
  async acquire(): Promise<number> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const size = this.range.last - this.range.first + 1;
    for (let tried = 0; tried < size; tried++) {
      const uid = this.next;
      this.next = uid >= this.range.last ? this.range.first : uid + 1;
      if (this.held.has(uid)) continue;
      if (await this.take(uid)) {
        this.held.add(uid);
        return uid;
      }
    }
    throw new Error(
      `all ${size} script uids (${this.range.first}-${this.range.last}) are in use: widen CADENZA_SCRIPT_UID_RANGE`,
    );
  }

  async release(uid: number): Promise<void> {
    if (!this.held.delete(uid)) return;
    await unlink(join(this.dir, String(uid))).catch(() => undefined);
  }

  private async take(uid: number): Promise<boolean> {
    const path = join(this.dir, String(uid));
    for (let round = 0; round < 2; round++) {
      try {
        const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
        await handle.writeFile(SELF);
        await handle.close();
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      // Held: by a live engine (ours or another), or left by one that died.
      const owner = (await readFile(path, "utf8").catch(() => "")).trim();
      const pid = Number(owner.split(" ")[0]);
      if (!owner || owner === SELF || (pid > 0 && processIdentity(pid) === owner)) return false;
      await unlink(path).catch(() => undefined);
    }
    return false;
  }

  /** Lock files of dead engines, removed (called once at start; acquire reclaims lazily too). */
  async reclaimStale(): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(this.dir, name);
      const owner = (await readFile(path, "utf8").catch(() => "")).trim();
      const pid = Number(owner.split(" ")[0]);
      if (owner && owner !== SELF && !(pid > 0 && processIdentity(pid) === owner)) {
        await unlink(path).catch(() => undefined);
      }
    }
  }
}

/**
 * SIGKILLs every process of `uid` on the machine (a last sweep before the uid is given to another attempt).
 * Synchronous on purpose: a few hundred stat calls take a few milliseconds, their promises several times that.
 */
export function killProcessesOf(uid: number): number {
  let killed = 0;
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    // /proc/<pid> belongs to the process's effective uid (root for one that is not dumpable: checked below).
    const owner = statSync(`/proc/${name}`, { throwIfNoEntry: false })?.uid;
    if (owner !== uid && owner !== 0) continue;
    if (owner === 0) {
      let status = "";
      try {
        status = readFileSync(`/proc/${name}/status`, "utf8");
      } catch {
        continue;
      }
      const ids = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(status);
      if (!ids || ![ids[1], ids[2], ids[3]].includes(String(uid))) continue;
    }
    try {
      process.kill(Number(name), "SIGKILL");
      killed++;
    } catch {
      // Gone meanwhile.
    }
  }
  return killed;
}

/**
 * Sends `signal` to the processes of `uid` that run inside a pid namespace, except each namespace's init
 * (bubblewrap's, which would take the whole sandbox down at once): a sandboxed script's own processes get
 * a chance to stop cleanly before the SIGKILL.
 */
export function signalSandboxedProcessesOf(uid: number, signal: NodeJS.Signals): void {
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    if (statSync(`/proc/${name}`, { throwIfNoEntry: false })?.uid !== uid) continue;
    let status = "";
    try {
      status = readFileSync(`/proc/${name}/status`, "utf8");
    } catch {
      continue;
    }
    const nspids = /^NSpid:\s+(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/) ?? [];
    if (nspids.length < 2 || nspids[nspids.length - 1] === "1") continue;
    try {
      process.kill(Number(name), signal);
    } catch {
      // Gone meanwhile.
    }
  }
}
