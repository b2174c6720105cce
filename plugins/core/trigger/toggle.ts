import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";

const TYPE = "core.trigger.Toggle";

/** A task (not a trigger): enables or disables a trigger of a flow. */
export const togglePlugin = definePlugin({
  type: TYPE,
  aliases: ["io.kestra.core.tasks.trigger.Toggle"],
  kind: "runnable",
  title: "Enable or disable a trigger of a flow.",
  description:
    "A task that sets the `disabled` state of `trigger` on the flow `namespace`.`flowId` (the current flow by default). The flow must exist and be reachable from the current one.",
  schema: z.object({
    namespace: z.string().optional().describe("The namespace of the flow; the current flow's by default."),
    flowId: z.string().optional().describe("The flow of the trigger; the current flow by default."),
    trigger: z.string().describe("The id of the trigger to toggle."),
    enabled: dyn(z.boolean())
      .default(false)
      .describe("Whether to enable (true) or disable (false) the trigger."),
  }),
  examples: [
    {
      title: "Enable or disable the flow's schedule from an input",
      flow: `id: trigger_toggle
namespace: company.team

inputs:
  - id: toggle
    type: BOOLEAN
    defaults: true

tasks:
  - id: if
    type: io.kestra.plugin.core.flow.If
    condition: "{{ inputs.toggle }}"
    then:
      - id: enable
        type: io.kestra.plugin.core.trigger.Toggle
        trigger: schedule
        enabled: true
    else:
      - id: disable
        type: io.kestra.plugin.core.trigger.Toggle
        trigger: schedule
        enabled: false

triggers:
  - id: schedule
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 * * * *"
`,
    },
  ],
  async run(ctx) {
    const { properties, execution } = ctx;
    const triggers = ctx.services.triggers;
    if (!triggers)
      throw new Error(`${TYPE} needs write access to the trigger store, which this engine does not provide`);
    const namespace = properties.namespace ?? execution.namespace;
    const flowId = properties.flowId ?? execution.flowId;
    await triggers.setEnabled(namespace, flowId, properties.trigger, properties.enabled);
    ctx.logger.info(
      `${properties.enabled ? "enabled" : "disabled"} trigger ${properties.trigger} of ${namespace}.${flowId}`,
    );
    return undefined;
  },
});
