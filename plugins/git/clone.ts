import path from "node:path";
import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { checkedRemote, connectionShape, GIT_ENV, relativeDirectory } from "./remote";

const CLONE = "git.Clone";

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
    url: connectionShape.url,
    directory: z
      .string()
      .optional()
      .describe("Where to clone, relative to the working directory; default: the working directory itself."),
    branch: z.string().optional().describe("The branch (or tag) to check out; default: the remote's HEAD."),
    depth: dyn(z.number().int().min(1))
      .default(1)
      .describe("How many commits of history to fetch (a shallow clone)."),
    username: connectionShape.username,
    password: connectionShape.password,
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
    const { url, config, secret } = await checkedRemote(ctx, p);
    const directory = relativeDirectory(p.directory);
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
    const workspace = await runner.createWorkspace();
    try {
      ctx.logger.info(`Cloning ${url.href}${p.branch ? ` (${p.branch})` : ""} into ${directory}`);
      const result = await workspace.run({
        command,
        env: GIT_ENV,
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
