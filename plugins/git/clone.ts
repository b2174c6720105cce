import path from "node:path";
import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { resolveChecked } from "../core/http/checked-resolve";

const CLONE = "git.Clone";

/** The default port of each scheme git may use here (only HTTP and HTTPS: see the README). */
const PORTS: Record<string, number> = { "http:": 80, "https:": 443 };

/** The URL to clone: HTTP(S) only, with no credentials in it (they would be written to .git/config). */
function repositoryUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error(
      `url '${text}' is not a valid URL (only http:// and https:// repositories can be cloned)`,
    );
  }
  if (!(url.protocol in PORTS)) {
    throw new Error(
      `url '${text}': only http:// and https:// repositories can be cloned, not ${url.protocol}`,
    );
  }
  if (url.username || url.password) {
    throw new Error("url must not contain credentials: set username and password (from secrets) instead");
  }
  return url;
}

/** A directory relative to the working directory that stays inside it. */
function relativeDirectory(text: string | undefined): string {
  if (text === undefined || text.trim() === "") return ".";
  const normalised = path.posix.normalize(text.trim());
  if (path.posix.isAbsolute(normalised) || normalised === ".." || normalised.startsWith("../")) {
    throw new Error(`directory '${text}' must be a path inside the working directory`);
  }
  return normalised;
}

export const clonePlugin = definePlugin({
  type: CLONE,
  kind: "runnable",
  title: "Clone a Git repository into the working directory.",
  description: [
    "Clones a repository over HTTP(S) with the `git` program into the task's working directory (use it",
    "inside `io.kestra.plugin.core.flow.WorkingDirectory` so that the next tasks see the files). `username`",
    "and `password` (a personal access token works as the password) are sent as an HTTP header and never",
    "written to the clone. The host goes through the outbound-address policy of `core.http.Request`.",
  ].join("\n"),
  schema: z.object({
    url: z.string().min(1).describe("The repository's URL, e.g. `https://github.com/kestra-io/scripts`."),
    directory: z
      .string()
      .optional()
      .describe("Where to clone, relative to the working directory; default: the working directory itself."),
    branch: z.string().optional().describe("The branch (or tag) to check out; default: the remote's HEAD."),
    depth: dyn(z.number().int().min(1))
      .default(1)
      .describe("How many commits of history to fetch (a shallow clone)."),
    username: z.string().optional().describe("The user name for HTTP authentication; keep it in a secret."),
    password: z
      .string()
      .optional()
      .describe("The password or personal access token for HTTP authentication; keep it in a secret."),
    cloneSubmodules: dyn(z.boolean()).optional().describe("Whether to clone the submodules too."),
  }),
  outputs: z.object({
    directory: z.string().describe("The absolute path of the clone."),
  }),
  examples: [
    {
      title: "Clone a repository and run a Python script from it",
      flow: `id: git_python
namespace: company.team

tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: clone
        type: io.kestra.plugin.git.Clone
        url: https://github.com/kestra-io/scripts
        branch: main

      - id: python
        type: io.kestra.plugin.scripts.python.Commands
        commands:
          - python etl/global_power_plant.py
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const runner = ctx.services.processRunner;
    if (!runner) throw new Error(`${CLONE} needs the process runner, which this engine does not provide`);
    const url = repositoryUrl(p.url);
    const directory = relativeDirectory(p.directory);
    const port = url.port ? Number(url.port) : (PORTS[url.protocol] as number);
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const address = await resolveChecked(host, ctx.services.httpPolicy ?? { allowPrivateNetworks: false });

    const config = [
      // git (libcurl) connects to the address that was checked, not to a second resolution of the name.
      `http.curloptResolve=${host}:${port}:${address.includes(":") ? `[${address}]` : address}`,
      // A redirect could lead to any host, past the check above.
      "http.followRedirects=false",
      // Only the transport checked here: no file://, ssh:// or ext:: through submodules or redirects.
      "protocol.allow=never",
      `protocol.${url.protocol.slice(0, -1)}.allow=always`,
      ...(p.username !== undefined || p.password !== undefined
        ? [
            `http.extraHeader=Authorization: Basic ${Buffer.from(`${p.username ?? ""}:${p.password ?? ""}`).toString("base64")}`,
          ]
        : []),
    ];
    const command = [
      "git",
      ...config.flatMap((entry) => ["-c", entry]),
      "clone",
      "--depth",
      String(p.depth),
      ...(p.branch ? ["--branch", p.branch] : []),
      ...(p.cloneSubmodules ? ["--recurse-submodules", "--shallow-submodules"] : []),
      "--",
      url.href,
      directory,
    ];
    const secret = config.find((entry) => entry.startsWith("http.extraHeader="));
    const workspace = await runner.createWorkspace();
    try {
      ctx.logger.info(`Cloning ${url.href}${p.branch ? ` (${p.branch})` : ""} into ${directory}`);
      const result = await workspace.run({
        command,
        // No prompt for a password that was not given: fail instead of waiting on a terminal.
        env: { GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "/bin/false", GIT_CONFIG_NOSYSTEM: "1" },
        signal: ctx.signal,
        onLog: (_level, message) =>
          ctx.logger.debug(secret ? message.replaceAll(secret, "<hidden>") : message),
      });
      if (ctx.signal.aborted) throw new Error("the clone was stopped");
      if (result.exitCode !== 0) {
        const tail = result.stderrTail.join("\n");
        // The server answered 401 to the credentials given (or to none): git then wants to prompt.
        if (/could not read (Username|Password)/.test(tail)) {
          throw new Error(
            `git clone of ${url.href} failed: the server refused the credentials (wrong or missing username/password)`,
          );
        }
        throw new Error(`git clone of ${url.href} failed${tail ? `: ${tail}` : ""}`);
      }
      return { outputs: { directory: path.posix.join(workspace.workingDir, directory) } };
    } finally {
      await workspace.dispose();
    }
  },
});
