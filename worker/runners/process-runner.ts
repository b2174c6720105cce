import { createHmac, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import {
  chmod,
  link,
  lstat,
  mkdir,
  readFile,
  realpath,
  rename,
  rm,
  symlink,
  unlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProcessRunner, SharedWorkingDirectory, Workspace } from "@/engine/plugin";
import { SYSTEM_PATH } from "./environment";
import { NODE_KESTRA, NODE_KESTRA_PACKAGE, PYTHON_KESTRA } from "./helpers";
import { probeSandbox, type SandboxSettings, type ScriptNetwork, SLIRP_DNS } from "./sandbox";
import { DEFAULT_UID_RANGE, killProcessesOf, UidPool, type UidRange } from "./uid-pool";
import { checkReachable, type RunAs, resolveRunAs } from "./user";
import { LocalWorkspace, type WorkspaceSettings } from "./workspace";

export interface LocalProcessRunnerOptions {
  /** Where working directories are created, one per attempt. Default: `os.tmpdir()/cadenza-work`. */
  workDir?: string;
  /**
   * Run each attempt in a bubblewrap sandbox (own pid, mount, IPC and UTS namespaces; only the system
   * directories and its own workspace visible) and, when the worker is root, as a uid of its own from
   * `uidRange`. Default true; without bubblewrap and user namespaces, scripts then fail with a clear
   * message instead of running unisolated. `false` is today's plain processes: trusted single-team installs.
   */
  isolation?: boolean;
  /** The bubblewrap program. Default `/usr/bin/bwrap`. */
  bwrapPath?: string;
  /** The slirp4netns program (`network: "isolated"`). Default `/usr/bin/slirp4netns`. */
  slirp4netnsPath?: string;
  /** Scripts' network with isolation on (see `ScriptNetwork`). Default `isolated`. */
  network?: ScriptNetwork;
  /** The uids (and same-numbered gids) attempts run as, one each, when the worker is root. Default 200000-265535. */
  uidRange?: UidRange;
  /**
   * With isolation off: the unprivileged user scripts run as when the worker runs as root (a name or a
   * uid). Default `nobody`. With isolation on, `false` alone counts: the sandbox keeps the worker's own user
   * instead of a uid per attempt (tests, trusted setups). `false` with isolation off keeps root, which
   * gives scripts the worker's full power: only for trusted single-user setups.
   */
  user?: string | false;
  /** With isolation off: the group scripts run as; by default the user's primary group. */
  group?: string;
  /** Time between SIGTERM and SIGKILL when a script is stopped. Default 500 ms. */
  killGraceMs?: number;
  /** `LANG` of scripts. Default `C.UTF-8`. */
  lang?: string;
  /** How many last stderr lines the result keeps for error messages. Default 20. */
  stderrTailLines?: number;
  /** Keep working directories after each attempt (to debug a script). Default false. */
  keepWorkDirs?: boolean;
}

const HELPERS_VERSION = "1";

interface Prepared {
  base: string;
  settings: WorkspaceSettings;
  /** Key naming shared directories (see `keyed`), kept in the base directory, readable by the worker only. */
  key: Buffer;
  /** One uid per attempt (isolation on, worker root). */
  uids?: UidPool;
}

/**
 * Runs scripts as local processes: one fresh working directory and one process group per attempt, a clean
 * environment, and (as root) an unprivileged user. See worker/runners/README.md for what this isolates.
 */
export class LocalProcessRunner implements ProcessRunner {
  private ready?: Promise<Prepared>;

  constructor(private readonly options: LocalProcessRunnerOptions = {}) {}

  /** The base directory, checked and prepared (helpers written) once. */
  private prepare(): Promise<Prepared> {
    this.ready ??= this.init();
    // A failed preparation is retried by the next attempt (the directory may have been fixed meanwhile).
    this.ready.catch(() => {
      this.ready = undefined;
    });
    return this.ready;
  }

  private async init(): Promise<Prepared> {
    const options = this.options;
    const requested = options.workDir ?? join(tmpdir(), "cadenza-work");
    await mkdir(requested, { recursive: true, mode: 0o711 });
    // The directory is configured at run time, not part of the app: nothing for the bundler to trace.
    const base = await realpath(/*turbopackIgnore: true*/ requested);
    const info = await lstat(base);
    const me = process.getuid?.() ?? -1;
    if (!info.isDirectory() || (me >= 0 && info.uid !== me)) {
      throw new Error(
        `the script working directory ${base} must be a directory owned by the worker's user (uid ${me}); another user created it`,
      );
    }
    // Others may traverse the base but not list it: attempt directories have unguessable names.
    await chmod(base, 0o711);

    const isolation = options.isolation ?? true;
    let runAs: RunAs | undefined;
    let uids: UidPool | undefined;
    if (me === 0 && options.user !== false) {
      if (isolation) {
        uids = new UidPool(join(base, ".uids"), options.uidRange ?? DEFAULT_UID_RANGE);
        await uids.reclaimStale();
      } else {
        runAs = resolveRunAs(options.user ?? "nobody", options.group);
        await checkReachable(base, runAs);
      }
    }

    // Helpers shared by every attempt, read-only for scripts (owned by the worker's user).
    const lib = join(base, `.lib-${HELPERS_VERSION}`);
    const python = join(lib, "python");
    const bin = join(lib, "bin");
    // In the base directory so that ESM `import` (which ignores NODE_PATH) finds it by walking up too.
    const nodeModules = join(base, "node_modules");
    const nodeLib = join(nodeModules, "@kestra-io", "libs");
    for (const dir of [lib, python, bin, nodeModules, join(nodeModules, "@kestra-io"), nodeLib]) {
      await mkdir(dir, { recursive: true, mode: 0o755 });
      await chmod(dir, 0o755);
    }
    await writeAtomically(join(python, "kestra.py"), PYTHON_KESTRA);
    await writeAtomically(join(nodeLib, "index.js"), NODE_KESTRA);
    await writeAtomically(join(nodeLib, "package.json"), NODE_KESTRA_PACKAGE);
    const binDirs: string[] = [];
    // Kestra's scripts call `python`; Debian only has `python3` unless python-is-python3 is installed.
    const python3 = findOnPath("python3");
    if (!findOnPath("python") && python3) {
      const shim = join(bin, "python");
      if (!existsSync(shim)) await symlink(python3, shim).catch(() => undefined);
      binDirs.push(bin);
    }

    let sandbox: SandboxSettings | undefined;
    if (isolation) {
      const resolvConf = join(lib, "resolv.conf");
      await writeAtomically(resolvConf, `nameserver ${SLIRP_DNS}\n`);
      sandbox = {
        bwrap: options.bwrapPath ?? "/usr/bin/bwrap",
        slirp4netns: options.slirp4netnsPath ?? "/usr/bin/slirp4netns",
        nsenter: findOnPath("nsenter", "/usr/bin:/bin") ?? "/usr/bin/nsenter",
        ip: findOnPath("ip", "/usr/sbin:/sbin:/usr/bin:/bin") ?? "/usr/sbin/ip",
        network: options.network ?? "isolated",
        readOnly: [lib, nodeModules],
        resolvConf,
      };
      // Once per runner: a sandbox like the scripts', as a uid like theirs.
      const probeUid = uids ? await uids.acquire() : undefined;
      try {
        await probeSandbox(sandbox, probeUid === undefined ? {} : { uid: probeUid, gid: probeUid }, "/");
      } finally {
        if (probeUid !== undefined) await uids?.release(probeUid);
      }
    }

    return {
      base,
      key: await namingKey(join(base, ".key")),
      ...(uids ? { uids } : {}),
      settings: {
        ...(runAs ? { runAs } : {}),
        ...(sandbox ? { sandbox } : {}),
        killGraceMs: options.killGraceMs ?? 500,
        lang: options.lang ?? "C.UTF-8",
        binDirs,
        pythonPath: python,
        nodePath: nodeModules,
        stderrTailLines: options.stderrTailLines ?? 20,
        keep: options.keepWorkDirs ?? false,
      },
    };
  }

  /** The user scripts run as, or undefined when they keep the worker's own user. */
  async runAs(): Promise<RunAs | undefined> {
    return (await this.prepare()).settings.runAs;
  }

  async createWorkspace(options: { shared?: SharedWorkingDirectory } = {}): Promise<Workspace> {
    const prepared = await this.prepare();
    const { base, key } = prepared;
    const settings = await this.attemptSettings(prepared);
    try {
      return await this.workspaceFor(base, key, settings, options.shared);
    } catch (error) {
      await settings.release?.();
      throw error;
    }
  }

  /** The runner's settings with this attempt's own uid (and its release) when uids are per attempt. */
  private async attemptSettings(prepared: Prepared): Promise<WorkspaceSettings> {
    const uids = prepared.uids;
    if (!uids) return prepared.settings;
    const uid = await uids.acquire();
    let released = false;
    return {
      ...prepared.settings,
      runAs: { name: `uid ${uid}`, uid, gid: uid },
      release: async () => {
        if (released) return;
        released = true;
        // The sandbox's pid namespace died with it; this sweep is a second lock before the uid is reused.
        killProcessesOf(uid);
        await uids.release(uid);
      },
    };
  }

  private async workspaceFor(
    base: string,
    key: Buffer,
    settings: WorkspaceSettings,
    shared: SharedWorkingDirectory | undefined,
  ): Promise<Workspace> {
    const root = join(base, randomBytes(16).toString("hex"));
    if (!shared) return LocalWorkspace.create(root, settings);

    const executionDir = join(base, "shared", keyed(key, shared.executionId));
    await mkdir(executionDir, { recursive: true, mode: 0o711 });
    const sharedDir = join(executionDir, keyed(key, shared.ownerId));
    const created = await LocalWorkspace.createShared(sharedDir, settings);
    const range = this.options.uidRange ?? DEFAULT_UID_RANGE;
    if (!created && settings.runAs && settings.release) {
      // Earlier tasks of the WorkingDirectory ran as other uids of the range: their files become this one's.
      await LocalWorkspace.adoptShared(
        sharedDir,
        settings.runAs,
        (uid) => uid >= range.first && uid <= range.last,
      );
    }
    const workspace = await LocalWorkspace.create(root, settings, sharedDir);
    if (created && shared.onCreate) {
      try {
        await shared.onCreate(workspace);
      } catch (error) {
        // Half-prepared: the next attempt starts from scratch rather than from a partial directory.
        await workspace.dispose().catch(() => undefined);
        await rm(sharedDir, { recursive: true, force: true });
        throw error;
      }
    }
    return workspace;
  }

  async openShared(
    shared: Pick<SharedWorkingDirectory, "executionId" | "ownerId">,
  ): Promise<Workspace | undefined> {
    const { base, key, settings } = await this.prepare();
    const sharedDir = join(base, "shared", keyed(key, shared.executionId), keyed(key, shared.ownerId));
    const info = await lstat(sharedDir).catch(() => undefined);
    if (!info?.isDirectory()) return undefined;
    // Only read by the worker (collect): the runner's settings, no uid of the range taken for it.
    return LocalWorkspace.create(join(base, randomBytes(16).toString("hex")), settings, sharedDir);
  }

  async releaseShared(executionId: string): Promise<void> {
    const { base, settings, key } = await this.prepare();
    if (settings.keep) return;
    await rm(join(base, "shared", keyed(key, executionId)), { recursive: true, force: true });
  }
}

/**
 * Shared directories are named by a keyed hash of their ids: scripts (all running as one user) can
 * traverse the base but not list it, and cannot compute another execution's directory from its id.
 */
function keyed(key: Buffer, id: string): string {
  return createHmac("sha256", key).update(id).digest("hex").slice(0, 32);
}

/** The key in `path`, created (mode 0600) on first use; concurrent workers end up with the same one. */
async function namingKey(path: string): Promise<Buffer> {
  const existing = await readFile(path).catch(() => undefined);
  if (existing?.length === 32) return existing;
  // Written aside then linked into place: link fails when another worker won, and never exposes a partial key.
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
  await writeFile(temp, randomBytes(32), { mode: 0o600 });
  try {
    await link(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await unlink(temp);
  }
  return readFile(path);
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
  await writeFile(temp, content, { mode: 0o644 });
  await rename(temp, path);
}

function findOnPath(program: string, path = SYSTEM_PATH): string | undefined {
  for (const dir of path.split(":")) {
    const candidate = join(dir, program);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
