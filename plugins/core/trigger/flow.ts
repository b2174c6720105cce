import { z } from "zod";
import { STATES } from "@/engine/flow";
import { definePlugin } from "@/engine/plugin";

const preconditionFlow = z.strictObject({
  namespace: z.string(),
  flowId: z.string(),
  states: z.array(z.enum(STATES)).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

const filter = z.strictObject({
  field: z.enum(["FLOW_ID", "NAMESPACE", "STATE", "EXPRESSION"]),
  type: z.enum([
    "EQUAL_TO",
    "NOT_EQUAL_TO",
    "IN",
    "NOT_IN",
    "IS_TRUE",
    "IS_FALSE",
    "IS_NULL",
    "IS_NOT_NULL",
    "STARTS_WITH",
    "ENDS_WITH",
    "REGEX",
    "CONTAINS",
  ]),
  value: z.string().optional(),
  values: z.array(z.string()).optional(),
});

export const flowTriggerSchema = z.object({
  states: z
    .array(z.enum(STATES))
    .optional()
    .describe("States of the upstream execution that fire the trigger (every terminal state by default)."),
  inputs: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Inputs of the started execution; may use `trigger.*` and the upstream outputs."),
  preconditions: z
    .strictObject({
      id: z.string().optional(),
      timeWindow: z
        .strictObject({
          type: z
            .enum(["DURATION_WINDOW", "SLIDING_WINDOW", "DAILY_TIME_WINDOW", "DAILY_TIME_DEADLINE"])
            .default("DURATION_WINDOW"),
          window: z.string().optional(),
          windowAdvance: z.string().optional(),
          startTime: z.string().optional(),
          endTime: z.string().optional(),
          deadline: z.string().optional(),
        })
        .optional(),
      resetOnSuccess: z.boolean().default(true),
      flows: z.array(preconditionFlow).optional(),
      where: z
        .array(
          z.strictObject({
            id: z.string(),
            operand: z.enum(["AND", "OR"]).default("AND"),
            filters: z.array(filter),
          }),
        )
        .optional(),
    })
    .optional()
    .describe("Upstream executions that must all have happened within a time window."),
});

export const flowTriggerPlugin = definePlugin({
  type: "core.trigger.Flow",
  aliases: ["io.kestra.core.models.triggers.types.Flow"],
  kind: "trigger",
  title: "Start an execution when executions of other flows end.",
  description:
    "Variables `trigger.executionId`, `trigger.namespace`, `trigger.flowId`, `trigger.flowRevision`, `trigger.state` and `trigger.outputs` describe the upstream execution.",
  schema: flowTriggerSchema,
  examples: [
    {
      title: "Run after a successful upstream flow",
      flow: `id: downstream
namespace: company.team
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "upstream {{ trigger.executionId }} ended {{ trigger.state }}"
triggers:
  - id: after_upstream
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: company.team
        flowId: upstream
      - type: io.kestra.plugin.core.condition.ExecutionStatus
        in: [SUCCESS]
`,
    },
  ],
});
