import { z } from "zod";
import { definePlugin } from "@/engine/plugin";

const TYPE = "core.execution.Resume";

export const resumePlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Resume a paused execution.",
  description: [
    "Resumes `executionId` (the current execution by default). To resume an execution of another flow, set",
    "`namespace` and `flowId` as well, which makes the permission explicit. `inputs` are the `onResume`",
    "inputs of the Pause task being resumed.",
  ].join("\n"),
  schema: z.object({
    namespace: z
      .string()
      .optional()
      .describe("The namespace of the execution to resume, when it is another flow's."),
    flowId: z.string().optional().describe("The flow of the execution to resume, when it is another flow's."),
    executionId: z.string().optional().describe("The execution to resume; the current one by default."),
    inputs: z.record(z.string(), z.unknown()).optional().describe("Values of the `onResume` inputs."),
  }),
  examples: [
    {
      title: "Resume the paused execution that triggered this flow",
      flow: `id: resume_parent
namespace: company.team

tasks:
  - id: resume
    type: io.kestra.plugin.core.execution.Resume
    namespace: company.team
    flowId: approval_flow
    executionId: "{{ trigger.executionId }}"
    inputs:
      approved: true

triggers:
  - id: on_paused
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionStatus
        in:
          - PAUSED
`,
    },
  ],
  async run(ctx) {
    const { properties, execution } = ctx;
    const executions = ctx.services.executions;
    if (!executions)
      throw new Error(
        `${TYPE} needs access to the executions of the engine, which this engine does not provide`,
      );
    if (properties.executionId === undefined && (properties.namespace || properties.flowId)) {
      throw new Error("set executionId along with namespace and flowId to resume another flow's execution");
    }
    if ((properties.namespace === undefined) !== (properties.flowId === undefined)) {
      throw new Error("set both namespace and flowId (or neither, for an execution of this flow)");
    }
    const executionId = properties.executionId ?? execution.id;
    const namespace = properties.namespace ?? execution.namespace;
    const flowId = properties.flowId ?? execution.flowId;
    const target = await executions.get(executionId);
    if (!target || target.namespace !== namespace || target.flowId !== flowId) {
      throw new Error(`execution ${executionId} of flow ${namespace}.${flowId} not found`);
    }
    if (target.state !== "PAUSED") {
      throw new Error(`execution ${executionId} cannot be resumed: it is ${target.state}, not PAUSED`);
    }
    await executions.resume(executionId, properties.inputs);
    ctx.logger.info(`resumed execution ${executionId}`);
    return undefined;
  },
});
