import path from "node:path";
import { z } from "zod";
import type { TaskRunContext, Workspace } from "@/engine/plugin";
import { resolveChecked } from "../core/http/checked-resolve";

/** The default port of each scheme git may use here (only HTTP and HTTPS: see the README). */
const PORTS: Record<string, number> = { "http:": 80, "https:": 443 };

/** The connection properties every git task has (Kestra's AbstractGitTask). */
export const connectionShape = {
  url: z.string().min(1).describe("The repository's URL, e.g. `https://github.com/kestra-io/scripts`."),
  username: z.string().optional().describe("The user name for HTTP authentication; keep it in a secret."),
  password: z
    .string()
    .optional()
    .describe("The password or personal access token for HTTP authentication; keep it in a secret."),
};

/** The repository URL: HTTP(S) only, with no credentials in it (they would be written to .git/config). */
export function repositoryUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error(`url '${text}' is not a valid URL (only http:// and https:// repositories can be used)`);
  }
  if (!(url.protocol in PORTS)) {
    throw new Error(`url '${text}': only http:// and https:// repositories can be used, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new Error("url must not contain credentials: set username and password (from secrets) instead");
  }
  return url;
}

/** A directory relative to the working directory that stays inside it. */
export function relativeDirectory(text: string | undefined, property = "directory"): string {
  if (text === undefined || text.trim() === "") return ".";
  const normalised = path.posix.normalize(text.trim());
  if (path.posix.isAbsolute(normalised) || normalised === ".." || normalised.startsWith("../")) {
    throw new Error(`${property} '${text}' must be a path inside the repository`);
  }
  return normalised.replace(/\/+$/, "");
}

/** A remote checked against the outbound-address policy, with the `-c` settings every git call uses. */
export interface GitRemote {
  url: URL;
  /** `-c` entries: the pinned address, no redirects, one protocol, the credentials header. */
  config: string[];
  /** The credentials header entry, hidden from logs. */
  secret?: string;
}

export async function checkedRemote(
  ctx: TaskRunContext<unknown>,
  properties: { url: string; username?: string; password?: string },
): Promise<GitRemote> {
  const url = repositoryUrl(properties.url);
  const port = url.port ? Number(url.port) : (PORTS[url.protocol] as number);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const address = await resolveChecked(host, ctx.services.httpPolicy ?? { allowPrivateNetworks: false });
  const secret =
    properties.username !== undefined || properties.password !== undefined
      ? `http.extraHeader=Authorization: Basic ${Buffer.from(`${properties.username ?? ""}:${properties.password ?? ""}`).toString("base64")}`
      : undefined;
  const config = [
    // git (libcurl) connects to the address that was checked, not to a second resolution of the name.
    `http.curloptResolve=${host}:${port}:${address.includes(":") ? `[${address}]` : address}`,
    // A redirect could lead to any host, past the check above.
    "http.followRedirects=false",
    // Only the transport checked here: no file://, ssh:// or ext:: through submodules or redirects.
    "protocol.allow=never",
    `protocol.${url.protocol.slice(0, -1)}.allow=always`,
    ...(secret ? [secret] : []),
  ];
  return { url, config, ...(secret ? { secret } : {}) };
}

/** No prompt for a password that was not given: fail instead of waiting on a terminal. */
export const GIT_ENV = { GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "/bin/false", GIT_CONFIG_NOSYSTEM: "1" };

/** What a git command printed (stdout lines) and how it ended. */
export interface GitResult {
  exitCode: number | null;
  stdout: string[];
  stderr: string[];
}

/**
 * Runs `git <args>` in the workspace with the remote's settings; stdout is kept for the caller, stderr goes
 * to the task's debug logs (the credentials header hidden).
 */
export async function runGit(
  ctx: TaskRunContext<unknown>,
  workspace: Workspace,
  remote: GitRemote,
  args: string[],
): Promise<GitResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const hide = (message: string) => (remote.secret ? message.replaceAll(remote.secret, "<hidden>") : message);
  const result = await workspace.run({
    command: ["git", ...remote.config.flatMap((entry) => ["-c", entry]), ...args],
    env: GIT_ENV,
    signal: ctx.signal,
    onLog: (level, message) => {
      if (level === "INFO") stdout.push(message);
      else {
        stderr.push(hide(message));
        ctx.logger.debug(hide(message));
      }
    },
  });
  if (ctx.signal.aborted) throw new Error("git was stopped");
  return { exitCode: result.exitCode, stdout, stderr: [...stderr, ...result.stderrTail.map(hide)] };
}

/** A failed git command as a clear error: a refused login says so. */
export function gitError(what: string, result: GitResult): Error {
  const tail = [...new Set(result.stderr)].slice(-10).join("\n");
  // The server answered 401 to the credentials given (or to none): git then wants to prompt.
  if (/could not read (Username|Password)/.test(tail)) {
    return new Error(
      `${what} failed: the server refused the credentials (wrong or missing username/password)`,
    );
  }
  return new Error(`${what} failed${tail ? `: ${tail}` : ""}`);
}

/** Runs git and fails the task when it fails. */
export async function git(
  ctx: TaskRunContext<unknown>,
  workspace: Workspace,
  remote: GitRemote,
  args: string[],
  what = `git ${args[0]}`,
): Promise<string[]> {
  const result = await runGit(ctx, workspace, remote, args);
  if (result.exitCode !== 0) throw gitError(what, result);
  return result.stdout;
}
