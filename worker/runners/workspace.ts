import { constants } from "node:fs";
import {
  chown,
  lchown,
  lstat,
  lutimes,
  mkdir,
  open,
  readdir,
  readlink,
  realpath,
  rm,
} from "node:fs/promises";
import { dirname, join, posix, relative, sep } from "node:path";
import type { ProcessRequest, ProcessResult, Workspace, WorkspaceFile } from "@/engine/plugin";
import { globMatcher } from "@/plugins/core/storage/glob";
import { buildEnvironment } from "./environment";
import { parseLine } from "./protocol";
import { connectIsolatedNetwork, type SandboxSettings, sandboxArgs } from "./sandbox";
import { spawnProcess } from "./spawn";
import { signalSandboxedProcessesOf } from "./uid-pool";
import type { RunAs } from "./user";

/** What every workspace of a runner shares (and, for `runAs` and `release`, what is the attempt's own). */
export interface WorkspaceSettings {
  /** The user the attempt runs as (the worker must be root); absent: the worker's own user. */
  runAs?: RunAs;
  /** Runs each attempt in a bubblewrap sandbox; absent: a plain process (isolation off). */
  sandbox?: SandboxSettings;
  /** Called once by `dispose()` (and only then), e.g. to give the attempt's uid back. */
  release?: () => Promise<void>;
  killGraceMs: number;
  lang: string;
  binDirs: readonly string[];
  pythonPath: string;
  nodePath: string;
  stderrTailLines: number;
  keep: boolean;
}

/** Checks a relative path given by a flow (an input file name) and resolves it under `base`. */
export function resolveInside(base: string, path: string): string {
  const normal = posix.normalize(path.replace(/\\/g, "/"));
  if (
    !path ||
    path.includes("\0") ||
    posix.isAbsolute(normal) ||
    normal === "." ||
    normal === ".." ||
    normal.startsWith("../")
  ) {
    throw new Error(`'${path}' is not a relative file path inside the working directory`);
  }
  return join(base, ...normal.split("/"));
}

/**
 * One attempt's directories: `root/work` (the working directory, cwd and HOME), `root/tmp` (TMPDIR) and
 * `root/output` (`{{ outputDir }}`), all owned by the script user.
 */
export class LocalWorkspace implements Workspace {
  readonly workingDir: string;
  readonly outputDir: string;
  readonly tmpDir: string;

  private constructor(
    readonly root: string,
    private readonly settings: WorkspaceSettings,
    sharedWorkingDir?: string,
  ) {
    this.workingDir = sharedWorkingDir ?? join(root, "work");
    this.outputDir = join(root, "output");
    this.tmpDir = join(root, "tmp");
  }

  /**
   * Creates the attempt's directories under `root`. With `sharedWorkingDir` (an existing directory owned by
   * the script user), the working directory is that one and `dispose()` leaves it in place.
   */
  static async create(
    root: string,
    settings: WorkspaceSettings,
    sharedWorkingDir?: string,
  ): Promise<LocalWorkspace> {
    const workspace = new LocalWorkspace(root, settings, sharedWorkingDir);
    await mkdir(root, { mode: 0o700 });
    const own = sharedWorkingDir
      ? [workspace.outputDir, workspace.tmpDir]
      : [workspace.workingDir, workspace.outputDir, workspace.tmpDir];
    for (const dir of own) await mkdir(dir, { mode: 0o700 });
    await workspace.own(root, ...own);
    return workspace;
  }

  /** Creates a shared working directory (mode 0700, owned by the script user); false when it already exists. */
  static async createShared(path: string, settings: WorkspaceSettings): Promise<boolean> {
    try {
      await mkdir(path, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    }
    if (settings.runAs) await chown(path, settings.runAs.uid, settings.runAs.gid);
    return true;
  }

  /**
   * Gives an existing shared working directory to this attempt's user: what earlier attempts (each its own
   * uid) left there. Only entries owned by `isPrevious` uids change owner (a script cannot make the worker
   * chown a file it links in from elsewhere), and links are never followed.
   */
  static async adoptShared(path: string, runAs: RunAs, isPrevious: (uid: number) => boolean): Promise<void> {
    const visit = async (full: string) => {
      const info = await lstat(full).catch(() => undefined);
      if (!info) return;
      if (info.uid !== runAs.uid && isPrevious(info.uid)) await lchown(full, runAs.uid, runAs.gid);
      if (!info.isDirectory()) return;
      for (const name of await readdir(full).catch(() => [] as string[])) await visit(join(full, name));
    };
    await visit(path);
  }

  private async own(...paths: string[]): Promise<void> {
    const runAs = this.settings.runAs;
    if (!runAs) return;
    for (const path of paths) await chown(path, runAs.uid, runAs.gid);
  }

  async writeFile(path: string, content: Uint8Array | string): Promise<void> {
    const target = resolveInside(this.workingDir, path);
    const created = await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    if (created) {
      const dirs: string[] = [];
      for (let dir = dirname(target); dir.length >= created.length; dir = dirname(dir)) dirs.push(dir);
      await this.own(...dirs);
    }
    // Never through a symbolic link: the file is written by the worker, possibly as root.
    const handle = await open(
      target,
      constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
      0o600,
    );
    try {
      await handle.writeFile(content);
      if (this.settings.runAs) await handle.chown(this.settings.runAs.uid, this.settings.runAs.gid);
    } finally {
      await handle.close();
    }
  }

  async setModified(path: string, at: Date): Promise<void> {
    // lutimes: a link a script left there is never followed.
    await lutimes(resolveInside(this.workingDir, path), at, at);
  }

  async run(request: ProcessRequest): Promise<ProcessResult> {
    const outputs: Record<string, unknown> = {};
    const metrics: ProcessResult["metrics"] = [];
    const tail: string[] = [];
    let stdoutLineCount = 0;
    let stderrLineCount = 0;
    const { onLog } = request;
    const protocol = (line: string): boolean => {
      const parsed = parseLine(line);
      if (parsed.kind === "plain") return false;
      if (parsed.kind === "invalid") {
        onLog("WARN", `Invalid outputs '${parsed.error}' in line: ${line.slice(0, 200)}`);
        return true;
      }
      if (parsed.message.outputs) Object.assign(outputs, parsed.message.outputs);
      metrics.push(...parsed.message.metrics);
      for (const log of parsed.message.logs) onLog(log.level, log.message);
      return true;
    };
    const settings = this.settings;
    const sandbox = settings.sandbox;
    const identity = settings.runAs ? { uid: settings.runAs.uid, gid: settings.runAs.gid } : {};
    const isolated = sandbox?.network === "isolated";
    const command = sandbox
      ? [
          sandbox.bwrap,
          ...sandboxArgs(sandbox, {
            writable: [...new Set([this.root, this.workingDir])],
            cwd: this.workingDir,
            ...(isolated ? { infoFd: 3, blockFd: 4 } : {}),
          }),
          ...request.command,
        ]
      : request.command;
    const result = await spawnProcess({
      command,
      ...(isolated && sandbox
        ? { extraPipes: 2, prepare: (child) => connectIsolatedNetwork(child, sandbox, identity) }
        : {}),
      cwd: this.workingDir,
      // A sandbox's processes are in another session than bwrap: SIGTERM reaches them by their uid.
      ...(sandbox && settings.runAs
        ? { terminate: () => signalSandboxedProcessesOf((settings.runAs as RunAs).uid, "SIGTERM") }
        : {}),
      env: buildEnvironment({
        workingDir: this.workingDir,
        outputDir: this.outputDir,
        tmpDir: this.tmpDir,
        lang: settings.lang,
        binDirs: settings.binDirs,
        pythonPath: settings.pythonPath,
        nodePath: settings.nodePath,
        extra: request.env,
      }),
      ...identity,
      signal: request.signal,
      killGraceMs: settings.killGraceMs,
      onStdout(line) {
        if (protocol(line)) return;
        stdoutLineCount++;
        onLog("INFO", line);
      },
      onStderr(line) {
        if (protocol(line)) return;
        stderrLineCount++;
        tail.push(line);
        if (tail.length > settings.stderrTailLines) tail.shift();
        onLog("WARN", line);
      },
    });
    return {
      exitCode: result.exitCode,
      exitSignal: result.exitSignal,
      outputs,
      metrics,
      stdoutLineCount,
      stderrLineCount,
      stderrTail: tail,
    };
  }

  async collect(patterns: readonly string[]): Promise<WorkspaceFile[]> {
    const files: WorkspaceFile[] = [];
    if (patterns.length > 0) {
      const matches = globMatcher(patterns);
      for (const path of await this.walk(this.workingDir)) {
        if (matches(path)) files.push(this.file(this.workingDir, path));
      }
    }
    for (const path of await this.walk(this.outputDir)) files.push(this.file(this.outputDir, path));
    return files;
  }

  /** Regular files under a directory, as relative `/` paths; symbolic links are neither followed nor listed. */
  private async walk(base: string): Promise<string[]> {
    const out: string[] = [];
    const visit = async (dir: string) => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await visit(full);
        else if (entry.isFile()) out.push(relative(base, full).split(sep).join("/"));
      }
    };
    await visit(base);
    return out.sort();
  }

  private file(base: string, path: string): WorkspaceFile {
    const roots = [this.root, this.workingDir];
    return {
      path,
      async read() {
        const full = join(base, ...path.split("/"));
        const handle = await open(full, constants.O_RDONLY | constants.O_NOFOLLOW);
        try {
          // The file actually opened must still be inside the workspace (a directory may have been swapped
          // for a link since the listing).
          const real = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => realpath(full));
          if (!roots.some((root) => real.startsWith(`${root}${sep}`)))
            throw new Error(`output file ${path} leads outside the workspace`);
          if (!(await handle.stat()).isFile()) throw new Error(`output file ${path} is not a regular file`);
          return new Uint8Array(await handle.readFile());
        } finally {
          await handle.close();
        }
      },
      async modified() {
        return (await lstat(join(base, ...path.split("/")))).mtime;
      },
    };
  }

  private disposed = false;

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    try {
      if (this.settings.keep) return;
      const info = await lstat(this.root).catch(() => undefined);
      if (info?.isDirectory()) await rm(this.root, { recursive: true, force: true });
    } finally {
      await this.settings.release?.();
    }
  }
}
