import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { globMatcher } from "../core/storage/glob";
import { folderOfNamespace, isFlowFile, requireFlows, withNamespace } from "./flow-files";
import { branchShape, checkout, finishPush, pushOutputs, pushShape } from "./repository";

const TYPE = "git.PushFlows";

export const pushFlowsPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Commit and push saved flows to a Git repository.",
  description: [
    "Exports the saved flows of `sourceNamespace` (and of its child namespaces with `includeChildNamespaces`,",
    "each in a folder named after its part below `sourceNamespace`) as `{flowId}.yml` files into",
    "`gitDirectory` of `branch`, commits and pushes them. `flows` picks flows by id (globs). With",
    "`targetNamespace`, each file's `namespace:` line is rewritten to it (children keep their suffix). With",
    "`delete` (the default), flow files of those namespaces that no longer match a saved flow are removed.",
    "`dryRun` only writes the `diff` file. The remote is reached over HTTP(S) with the `git` program, under",
    "the same outbound-address policy as `git.Clone`; `username`/`password` should come from secrets.",
  ].join("\n"),
  schema: z.object({
    ...branchShape,
    ...pushShape,
    gitDirectory: z
      .string()
      .default("_flows")
      .describe("The directory of the repository the flow files go to."),
    sourceNamespace: z
      .string()
      .optional()
      .describe("The namespace whose flows are pushed; default: the namespace of this flow."),
    targetNamespace: z
      .string()
      .optional()
      .describe("The namespace written into the pushed files instead of `sourceNamespace`."),
    flows: z
      .union([z.string(), z.array(z.string())])
      .default("**")
      .describe("The ids of the flows to push: one glob or a list of globs (all by default)."),
    includeChildNamespaces: z
      .boolean()
      .default(false)
      .describe("Push the flows of the child namespaces of `sourceNamespace` too."),
    delete: z
      .boolean()
      .default(true)
      .describe("Remove flow files from Git whose flow is no longer saved (among the flows selected)."),
  }),
  outputs: pushOutputs,
  examples: [
    {
      title: "Push the flows of a development namespace to Git every day, as the production namespace",
      flow: `id: push_flows
namespace: system

tasks:
  - id: commit_and_push
    type: io.kestra.plugin.git.PushFlows
    url: https://github.com/kestra-io/scripts
    username: git_username
    password: "{{ secret('GITHUB_ACCESS_TOKEN') }}"
    branch: main
    sourceNamespace: dev
    targetNamespace: prod
    includeChildNamespaces: true
    gitDirectory: _flows
    commitMessage: "add flows {{ now() }}"
    dryRun: true

triggers:
  - id: schedule_push
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 17 * * *"
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const flows = requireFlows(ctx, TYPE);
    const source = p.sourceNamespace ?? ctx.execution.namespace;
    const target = p.targetNamespace ?? source;
    const wanted = globMatcher(typeof p.flows === "string" ? [p.flows] : p.flows);
    const saved = (await flows.list(source, { includeChildNamespaces: p.includeChildNamespaces })).filter(
      (flow) => wanted(flow.id),
    );
    const repo = await checkout(ctx, TYPE, p, p.gitDirectory);
    try {
      const written = new Set<string>();
      for (const flow of saved) {
        const file = `${folderOfNamespace(source, flow.namespace)}${flow.id}.yml`;
        const namespace = target + flow.namespace.slice(source.length);
        await repo.write(file, target === source ? flow.source : withNamespace(flow.source, namespace));
        written.add(file);
      }
      if (p.delete) {
        const stale = (await repo.files())
          .map((file) => file.path)
          .filter((path) => isFlowFile(path) && !written.has(path))
          .filter((path) => p.includeChildNamespaces || !path.includes("/"))
          .filter((path) =>
            wanted(
              path
                .split("/")
                .pop()
                ?.replace(/\.ya?ml$/i, "") ?? "",
            ),
          );
        await repo.remove(stale);
      }
      ctx.logger.info(`${saved.length} flow(s) of ${source} exported to ${repo.directory}`);
      const outputs = await finishPush(ctx, repo, p, p.commitMessage ?? `Add flows from ${source} namespace`);
      return { outputs };
    } finally {
      await repo.workspace.dispose();
    }
  },
});
