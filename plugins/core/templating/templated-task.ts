import jsYaml from "js-yaml";
import { z } from "zod";
import { loadFlow } from "@/engine/flow";
import { definePlugin } from "@/engine/plugin";

const TYPE = "core.templating.TemplatedTask";

/** Task properties that belong to the TemplatedTask itself, not to the task its spec describes. */
const NOT_IN_SPEC = ["retry", "timeout", "disabled", "allowFailure", "allowWarning", "runIf", "workerGroup"];

export const templatedTaskPlugin = definePlugin({
  type: TYPE,
  aliases: ["io.kestra.core.tasks.templating.TemplatedTask"],
  kind: "runnable",
  title: "Run a runnable task whose whole definition is rendered from a template.",
  description: [
    "`spec` is the YAML of a runnable task (its `type` and properties, without `id`), rendered when the task",
    "runs, so that even property names can come from inputs, variables or outputs. The rendered task is",
    "validated like any task of a flow and runs in place of this one; its outputs become this task's outputs.",
    "Set `retry`, `timeout` and the like on the TemplatedTask itself. A spec cannot be another TemplatedTask",
    "nor a flowable task. Expressions the inner task renders itself (e.g. a Count `expression`) must be",
    "escaped with `{% raw %}...{% endraw %}`, as the whole spec is rendered first.",
  ].join("\n"),
  rawProperties: ["spec"],
  schema: z.object({
    spec: z.string().min(1).describe("The YAML of the task to run: a template rendered when the task runs."),
  }),
  examples: [
    {
      title: "Choose the message and the level of a log from inputs",
      flow: `id: templated_task
namespace: company.team

inputs:
  - id: level
    type: SELECT
    values: [INFO, WARN]
    defaults: INFO

tasks:
  - id: templated
    type: io.kestra.plugin.core.templating.TemplatedTask
    spec: |
      type: io.kestra.plugin.core.log.Log
      level: {{ inputs.level }}
      message: Rendered at {{ now() }}
`,
    },
  ],
  async run(ctx) {
    const registry = ctx.services.registry;
    if (!registry) throw new Error(`${TYPE} needs the plugin registry, which this engine does not provide`);
    const rendered = String(await ctx.render(ctx.properties.spec));
    let spec: unknown;
    try {
      spec = jsYaml.load(rendered, { schema: jsYaml.CORE_SCHEMA });
    } catch (error) {
      throw new Error(`the rendered spec is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
    }
    if (spec === null || typeof spec !== "object" || Array.isArray(spec)) {
      throw new Error("the rendered spec must be a YAML map with a type and the task's properties");
    }
    const { id: _id, ...properties } = spec as Record<string, unknown>;
    if (typeof properties.type !== "string") throw new Error("the rendered spec has no type");
    const plugin = registry.get(properties.type);
    if (!plugin) throw new Error(`the rendered spec has an unknown task type '${properties.type}'`);
    if (plugin.type === TYPE) throw new Error("a TemplatedTask cannot render another TemplatedTask");
    if (plugin.kind !== "runnable" || !plugin.run) {
      throw new Error(`the rendered spec must be a runnable task; ${properties.type} is ${plugin.kind}`);
    }
    const misplaced = NOT_IN_SPEC.filter((key) => key in properties);
    if (misplaced.length) {
      throw new Error(`set ${misplaced.join(", ")} on the TemplatedTask, not in its spec`);
    }

    // Validated exactly like a task of a flow (aliases, strict properties, defaults, the plugin's own checks).
    const flow = {
      id: ctx.execution.flowId,
      namespace: ctx.execution.namespace,
      tasks: [{ ...properties, id: ctx.task.id }],
    };
    const loaded = loadFlow(JSON.stringify(flow), { registry });
    const task = loaded.flow?.tasks[0];
    if (!task) {
      const messages = loaded.errors.map(
        (e) => (e.path ? `${e.path.replace(/^tasks\[0\]\.?/, "")}: ` : "") + e.message,
      );
      throw new Error(`the rendered spec is not a valid ${plugin.type} task: ${messages.join("; ")}`);
    }
    const own = Object.fromEntries(
      Object.keys(plugin.schema.shape)
        .filter((key) => key in task)
        .map((key) => [key, (task as Record<string, unknown>)[key]]),
    );
    ctx.logger.debug(`running the rendered ${plugin.type} task`);
    return plugin.run({ ...ctx, properties: own as never, task: { id: ctx.task.id, type: plugin.type } });
  },
});
