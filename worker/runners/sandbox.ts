// The bubblewrap sandbox around one script attempt: its own pid, IPC, UTS, cgroup and mount namespaces, a
// filesystem holding only the system directories (read-only) and the attempt's own directories, and a
// network namespace (`none`, `isolated`) or the machine's (`host`). bubblewrap is what Flatpak and
// GNOME's thumbnailers trust for this; we only build its argument list and the network behind it.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { accessSync, constants, lstatSync, readlinkSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { networkInterfaces } from "node:os";
import type { Readable, Writable } from "node:stream";

/**
 * `host`: the machine's network, as unsandboxed processes. `isolated`: a network namespace of its own,
 * connected out through slirp4netns, with no route to the machine's own addresses (loopback and
 * interfaces). `none`: a network namespace with a loopback only.
 */
export type ScriptNetwork = "host" | "isolated" | "none";

export interface SandboxSettings {
  bwrap: string;
  slirp4netns: string;
  nsenter: string;
  ip: string;
  network: ScriptNetwork;
  /** Directories of the runner scripts may read (the helper libraries). */
  readOnly: readonly string[];
  /** A resolv.conf naming slirp4netns's DNS forwarder, bound over /etc/resolv.conf in `isolated` mode. */
  resolvConf?: string;
}

export const ISOLATION_HINT =
  "script isolation needs bubblewrap and user namespaces: apt-get install bubblewrap, or set CADENZA_SCRIPT_ISOLATION=off for a single-team install";
export const NETWORK_HINT =
  "isolated script network needs slirp4netns: apt-get install slirp4netns, or set CADENZA_SCRIPT_NETWORK=none (no network) or host (the machine's network, including its own services)";

/** The slirp4netns network inside the sandbox (its defaults, spelled out for the resolv.conf and docs). */
export const SLIRP_DNS = "10.0.2.3";

/** Helper programs get no variable of the worker. */
const NO_ENV = {} as NodeJS.ProcessEnv;

/** System directories a script may need, bound read-only (or re-created as the same symbolic link). */
const SYSTEM_DIRS = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"];

function systemBinds(): string[] {
  const args: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    let info: ReturnType<typeof lstatSync>;
    try {
      info = lstatSync(dir);
    } catch {
      continue;
    }
    if (info.isSymbolicLink()) args.push("--symlink", readlinkSync(dir), dir);
    else if (info.isDirectory()) args.push("--ro-bind", dir, dir);
  }
  return args;
}

/**
 * bwrap's arguments for one attempt, up to and including `--`: `writable` directories are bound read-write
 * at the same path (so `{{ workingDir }}` means the same inside and out), everything else of the machine
 * is absent but the system directories and `settings.readOnly`.
 */
export function sandboxArgs(
  settings: SandboxSettings,
  options: { writable: readonly string[]; cwd: string; blockFd?: number; infoFd?: number },
): string[] {
  const args = [
    // A user namespace always: unprivileged processes need it for the others. Inside, the script is uid 0
    // (as in a container) WITHOUT any capability (`--cap-drop ALL` empties even the bounding set): its
    // uid outside is the attempt's own. Being uid 0 inside keeps bwrap from nesting a second user
    // namespace, so the one owning the network namespace stays the pid's own for slirp4netns and ip; the
    // script cannot change its routes (no CAP_NET_ADMIN), and namespaces it nests give it no capability
    // over the sandbox's network or mounts.
    "--unshare-user",
    "--uid",
    "0",
    "--gid",
    "0",
    "--cap-drop",
    "ALL",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    ...(settings.network === "host" ? [] : ["--unshare-net"]),
    "--hostname",
    "cadenza-script",
    "--die-with-parent",
    "--new-session",
    ...systemBinds(),
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--tmpfs",
    "/tmp",
    "--tmpfs",
    "/var/tmp",
    ...settings.readOnly.flatMap((dir) => ["--ro-bind", dir, dir]),
    ...(settings.network === "isolated" && settings.resolvConf
      ? ["--ro-bind", settings.resolvConf, "/etc/resolv.conf"]
      : []),
    ...options.writable.flatMap((dir) => ["--bind", dir, dir]),
    "--chdir",
    options.cwd,
    ...(options.infoFd !== undefined ? ["--info-fd", String(options.infoFd)] : []),
    ...(options.blockFd !== undefined ? ["--block-fd", String(options.blockFd)] : []),
    "--",
  ];
  return args;
}

/** True when `path` is an executable file. */
export function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The machine's own non-loopback IPv4 addresses, which `isolated` scripts get no route to. */
export function ownAddresses(): string[] {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const address of list ?? []) {
      if (address.family === "IPv4" && !address.internal) out.add(address.address);
    }
  }
  return [...out];
}

export interface Identity {
  uid?: number;
  gid?: number;
}

/** Reads bwrap's `--info-fd` JSON until it names the sandbox's pid. */
function childPid(info: Readable): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const match = /"child-pid"\s*:\s*(\d+)/.exec(text);
      if (match && /}/.test(text)) {
        info.off("data", onData);
        info.off("end", onEnd);
        resolve(Number(match[1]));
      }
    };
    const onEnd = () => reject(new Error("the sandbox ended before it started"));
    info.on("data", onData);
    info.once("end", onEnd);
  });
}

/**
 * Waits until bwrap has written the sandbox's uid and gid maps (before that, joining its namespaces is
 * refused, and slirp4netns's setegid(0) inside fails).
 */
async function userNamespaceReady(pid: number, deadline: number): Promise<void> {
  for (;;) {
    const uids = await readFile(`/proc/${pid}/uid_map`, "utf8").catch(() => "");
    const gids = await readFile(`/proc/${pid}/gid_map`, "utf8").catch(() => "");
    if (uids.trim() && gids.trim()) return;
    if (Date.now() > deadline) throw new Error("the sandbox's user namespace was not ready in time");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function run(file: string, args: string[], identity: Identity): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...identity, timeout: 5_000, env: NO_ENV }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(" ")}: ${stderr.trim() || error.message}`));
      else resolve();
    });
  });
}

/**
 * Connects a started sandbox (spawned with `--info-fd 3 --block-fd 4` and two extra pipes) to the
 * outside through slirp4netns, removes its routes to the machine's own addresses, then lets the script
 * start. Returns the function that stops slirp4netns once the sandbox has ended.
 */
export async function connectIsolatedNetwork(
  child: ChildProcess,
  settings: SandboxSettings,
  identity: Identity,
): Promise<() => Promise<void>> {
  const info = child.stdio[3] as Readable;
  const block = child.stdio[4] as Writable;
  // A sandbox that dies early resets these pipes: that shows as its exit, not as an uncaught error.
  info.on("error", () => undefined);
  block.on("error", () => undefined);
  const pid = await childPid(info);
  await userNamespaceReady(pid, Date.now() + 5_000);
  // The user namespace the network belongs to: slirp4netns and ip run as the sandbox's own user, inside it.
  const slirp = spawn(
    settings.slirp4netns,
    [
      "--configure",
      "--mtu=65520",
      "--disable-host-loopback",
      "--enable-sandbox",
      "--enable-seccomp",
      `--userns-path=/proc/${pid}/ns/user`,
      "--ready-fd=3",
      "--exit-fd=4",
      String(pid),
      "tap0",
    ],
    { ...identity, env: NO_ENV, stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] },
  );
  for (const stream of slirp.stdio) stream?.on("error", () => undefined);
  const stderr: string[] = [];
  slirp.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString("utf8")));
  const exited = new Promise<void>((resolve) => {
    slirp.once("close", () => resolve());
    slirp.once("error", () => resolve());
  });
  const stop = async () => {
    (slirp.stdio[4] as Writable | null)?.end();
    slirp.kill("SIGKILL");
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      (slirp.stdio[3] as Readable).once("data", () => resolve());
      slirp.once("error", (error) => reject(new Error(`cannot start slirp4netns: ${error.message}`)));
      slirp.once("exit", () => reject(new Error(`slirp4netns ended: ${stderr.join("").trim()}`)));
    });
    const addresses = ownAddresses();
    if (addresses.length > 0) {
      const enter = ["--target", String(pid), "--user", "--net", "--preserve-credentials", settings.ip];
      const batch = addresses.map((address) => `route add prohibit ${address}/32`).join("\n");
      await runWithInput(settings.nsenter, [...enter, "-batch", "-"], batch, identity);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  block.end("go");
  return stop;
}

function runWithInput(file: string, args: string[], input: string, identity: Identity): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { ...identity, timeout: 5_000, env: NO_ENV },
      (error, _stdout, stderr) => {
        if (error) reject(new Error(`${file} ${args.join(" ")}: ${stderr.trim() || error.message}`));
        else resolve();
      },
    );
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(input);
  });
}

/**
 * Runs `true` in a sandbox like the scripts' (as `identity`), to learn once that bubblewrap and user
 * namespaces work here. Throws with ISOLATION_HINT and bwrap's own complaint.
 */
export async function probeSandbox(
  settings: SandboxSettings,
  identity: Identity,
  cwd: string,
): Promise<void> {
  if (!executable(settings.bwrap)) throw new Error(`${ISOLATION_HINT} (${settings.bwrap} is missing)`);
  const probe = { ...settings, network: settings.network === "host" ? "host" : "none" } as SandboxSettings;
  try {
    await run(settings.bwrap, [...sandboxArgs(probe, { writable: [], cwd }), "/bin/true"], identity);
  } catch (error) {
    throw new Error(`${ISOLATION_HINT} (${(error as Error).message})`);
  }
  if (settings.network === "isolated") {
    for (const tool of [settings.slirp4netns, settings.nsenter, settings.ip]) {
      if (!executable(tool)) throw new Error(`${NETWORK_HINT} (${tool} is missing)`);
    }
  }
}
