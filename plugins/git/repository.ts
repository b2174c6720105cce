import path from "node:path";
import { z } from "zod";
import { type TaskRunContext, taskRunStoragePrefix, type Workspace } from "@/engine/plugin";
import {
  checkedRemote,
  connectionShape,
  type GitRemote,
  git,
  gitError,
  relativeDirectory,
  runGit,
} from "./remote";

/** Where the branch is checked out, inside the task's own workspace. */
const REPO = "repo";

/** Properties of the tasks that check out a branch, change files and maybe push (Kestra's AbstractSyncTask). */
export const branchShape = {
  ...connectionShape,
  branch: z
    .string()
    .default("main")
    .describe("The branch to read from or push to; a push creates it from the default branch when missing."),
};

export const pushShape = {
  commitMessage: z.string().optional().describe("The commit message."),
  authorName: z.string().optional().describe("The commit author's name; default: `username`, or `Cadenza`."),
  authorEmail: z.string().optional().describe("The commit author's email."),
  dryRun: z
    .boolean()
    .default(false)
    .describe("Only compute what would change (the `diff` file): nothing is committed or pushed."),
};

export const pushOutputs = z.object({
  commitId: z
    .string()
    .optional()
    .describe("The id of the commit pushed (absent on a dry run or without changes)."),
  commitURL: z.string().optional().describe("A link to the commit, for GitHub-like hosts."),
  diff: z
    .string()
    .describe(
      "A `kestra://` ION file, one row per changed file: `file`, `additions`, `deletions`, `changes`, `changeType`.",
    ),
});

/** One file of the checkout under the managed directory, relative to that directory. */
export interface RepoFile {
  path: string;
  read(): Promise<Uint8Array>;
}

/** A branch checked out in a fresh workspace, for reading, changing and pushing files. */
export interface Checkout {
  readonly workspace: Workspace;
  readonly remote: GitRemote;
  readonly branch: string;
  /** The managed directory, relative to the repository root (`.` for all of it). */
  readonly directory: string;
  /** Files under the managed directory (never `.git`), by path relative to it. */
  files(): Promise<RepoFile[]>;
  write(relativePath: string, content: Uint8Array | string): Promise<void>;
  remove(relativePaths: string[]): Promise<void>;
  /** Stages the managed directory and returns what changed against the branch. */
  stage(): Promise<DiffRow[]>;
  /** Commits what was staged and pushes it to the branch; returns the commit id. */
  commitAndPush(message: string, author: { name: string; email: string }): Promise<string>;
}

export interface DiffRow {
  file: string;
  additions: number;
  deletions: number;
  changes: number;
  changeType: "ADDED" | "MODIFIED" | "DELETED" | "RENAMED";
}

const CHANGE_TYPES: Record<string, DiffRow["changeType"]> = {
  A: "ADDED",
  M: "MODIFIED",
  D: "DELETED",
  R: "RENAMED",
  T: "MODIFIED",
};

/**
 * Checks out `branch` of the remote (only its last commit) into a fresh workspace; a branch that does not
 * exist yet starts from the remote's default branch, or empty for an empty repository. Call `dispose()` on
 * the workspace when done.
 */
export async function checkout(
  ctx: TaskRunContext<unknown>,
  type: string,
  properties: { url: string; username?: string; password?: string; branch: string },
  gitDirectory: string,
): Promise<Checkout> {
  const runner = ctx.services.processRunner;
  if (!runner) throw new Error(`${type} needs the process runner, which this engine does not provide`);
  const remote = await checkedRemote(ctx, properties);
  const directory = relativeDirectory(gitDirectory, "gitDirectory");
  const branch = properties.branch;
  if (!/^[A-Za-z0-9._/-]+$/.test(branch) || branch.startsWith("-") || branch.includes(".."))
    throw new Error(`branch '${branch}' is not a valid branch name`);
  const workspace = await runner.createWorkspace();
  try {
    const inRepo = (...args: string[]) => ["-C", REPO, ...args];
    await git(ctx, workspace, remote, ["init", "-q", "-b", branch, REPO]);
    await git(ctx, workspace, remote, inRepo("remote", "add", "origin", remote.url.href));
    ctx.logger.info(`Fetching ${branch} of ${remote.url.href}`);
    let fetched = await runGit(
      ctx,
      workspace,
      remote,
      inRepo("fetch", "-q", "--depth", "1", "origin", `refs/heads/${branch}`),
    );
    if (fetched.exitCode !== 0 && fetched.stderr.some((line) => /couldn't find remote ref/i.test(line))) {
      ctx.logger.info(`branch ${branch} does not exist yet: starting it from the default branch`);
      fetched = await runGit(ctx, workspace, remote, inRepo("fetch", "-q", "--depth", "1", "origin", "HEAD"));
      // An empty repository has no HEAD to fetch: the branch starts empty.
      if (fetched.exitCode !== 0 && fetched.stderr.some((line) => /couldn't find remote ref/i.test(line)))
        fetched = { exitCode: null, stdout: [], stderr: [] };
    }
    if (fetched.exitCode === 0) {
      await git(ctx, workspace, remote, inRepo("checkout", "-q", "-B", branch, "FETCH_HEAD"));
    } else if (fetched.exitCode !== null) {
      throw gitError(`git fetch of ${remote.url.href}`, fetched);
    }
    const prefix = directory === "." ? `${REPO}/` : `${REPO}/${directory}/`;
    return {
      workspace,
      remote,
      branch,
      directory,
      async files() {
        return (await workspace.collect([`${REPO}/**`]))
          .filter((file) => file.path.startsWith(prefix) && !file.path.startsWith(`${REPO}/.git/`))
          .map((file) => ({ path: file.path.slice(prefix.length), read: () => file.read() }));
      },
      write: (relativePath, content) => workspace.writeFile(`${prefix}${relativePath}`, content),
      async remove(relativePaths) {
        for (let i = 0; i < relativePaths.length; i += 200) {
          const batch = relativePaths.slice(i, i + 200).map((p) => path.posix.join(directory, p));
          await git(ctx, workspace, remote, inRepo("rm", "-q", "-f", "--ignore-unmatch", "--", ...batch));
        }
      },
      async stage() {
        await git(ctx, workspace, remote, inRepo("add", "-A", "--", directory));
        const quiet = ["-c", "core.quotePath=false"];
        const names = await git(ctx, workspace, remote, [
          ...quiet,
          ...inRepo("diff", "--cached", "--no-renames", "--name-status", "--", directory),
        ]);
        const counts = await git(ctx, workspace, remote, [
          ...quiet,
          ...inRepo("diff", "--cached", "--no-renames", "--numstat", "--", directory),
        ]);
        const numbers = new Map<string, [number, number]>();
        for (const line of counts) {
          const [added = "0", deleted = "0", ...rest] = line.split("\t");
          numbers.set(rest.join("\t"), [Number(added) || 0, Number(deleted) || 0]);
        }
        return names
          .filter((line) => line.trim() !== "")
          .map((line) => {
            const [status = "M", ...rest] = line.split("\t");
            const file = rest.join("\t");
            const [additions, deletions] = numbers.get(file) ?? [0, 0];
            return {
              file,
              additions,
              deletions,
              changes: additions + deletions,
              changeType: CHANGE_TYPES[status[0] ?? "M"] ?? "MODIFIED",
            };
          });
      },
      async commitAndPush(message, author) {
        await git(ctx, workspace, remote, [
          "-c",
          `user.name=${author.name}`,
          "-c",
          `user.email=${author.email}`,
          ...inRepo("commit", "-q", "-m", message),
        ]);
        const [commitId = ""] = await git(ctx, workspace, remote, inRepo("rev-parse", "HEAD"));
        ctx.logger.info(`Pushing ${commitId} to ${branch} of ${remote.url.href}`);
        await git(
          ctx,
          workspace,
          remote,
          inRepo("push", "-q", "origin", `HEAD:refs/heads/${branch}`),
          `git push to ${branch}`,
        );
        return commitId.trim();
      },
    };
  } catch (error) {
    await workspace.dispose().catch(() => {});
    throw error;
  }
}

/** Writes rows as an ION file (one JSON value per line, which is valid ION) in the task run's storage. */
export async function writeRows(
  ctx: TaskRunContext<unknown>,
  name: string,
  rows: readonly object[],
): Promise<string> {
  const storage = ctx.services.storage;
  if (!storage)
    throw new Error("the diff file needs the internal storage, which this engine does not provide");
  const text = rows.map((row) => JSON.stringify(row)).join("\n");
  return storage.put(
    `${taskRunStoragePrefix(ctx.execution, ctx.task.id, ctx.taskRun.id)}${name}`,
    text ? `${text}\n` : "",
  );
}

/** A link to a commit for GitHub-like hosts (`<repository>/commit/<id>`), as Kestra gives it. */
export function commitUrl(url: string, commitId: string): string {
  return `${url
    .trim()
    .replace(/\/+$/, "")
    .replace(/\.git$/, "")}/commit/${commitId}`;
}

/**
 * Stages the changes, writes the diff file and, unless it is a dry run or nothing changed, commits and
 * pushes: the outputs of the Push* tasks.
 */
export async function finishPush(
  ctx: TaskRunContext<unknown>,
  repo: Checkout,
  properties: {
    url: string;
    username?: string;
    dryRun: boolean;
    authorName?: string;
    authorEmail?: string;
  },
  commitMessage: string,
): Promise<{ commitId?: string; commitURL?: string; diff: string }> {
  const rows = await repo.stage();
  const diff = await writeRows(ctx, "diff.ion", rows);
  if (properties.dryRun) {
    ctx.logger.info(`Dry run: ${rows.length} file(s) would change; nothing pushed`);
    return { diff };
  }
  if (rows.length === 0) {
    ctx.logger.info("Nothing changed: nothing to push");
    return { diff };
  }
  const name = properties.authorName ?? properties.username ?? "Cadenza";
  const email =
    properties.authorEmail ?? `${name.replace(/[^A-Za-z0-9._-]/g, "") || "cadenza"}@users.noreply.cadenza`;
  const commitId = await repo.commitAndPush(commitMessage, { name, email });
  return { commitId, commitURL: commitUrl(properties.url, commitId), diff };
}
