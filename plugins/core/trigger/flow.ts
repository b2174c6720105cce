import { z } from "zod";
import { STATES } from "@/engine/flow";
import { definePlugin, duration } from "@/engine/plugin";
import { isTimeZone } from "./cron";

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

const localTime = z
  .string()
  .regex(/^\d{2}:\d{2}(:\d{2})?$/, "a time of day, HH:mm or HH:mm:ss")
  .describe("A time of day (HH:mm:ss).");

/** Kestra 2.0's `dependsOn` entry: every field set must match the upstream execution. */
const dependency = z.strictObject({
  namespace: z.string().optional().describe("Namespace of the upstream flow (any when absent)."),
  flowId: z.string().optional().describe("Id of the upstream flow (any when absent)."),
  states: z.array(z.enum(STATES)).optional().describe("States of the upstream execution that count."),
  labels: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .optional()
    .describe("Labels the upstream execution must carry."),
  when: z
    .union([z.string(), z.boolean()])
    .optional()
    .describe("An expression over the upstream execution; the dependency counts only when it is truthy."),
});

/**
 * Kestra 2.0's `window`: its type is read from the fields set (deadline; from + to; lookback; otherwise
 * every/offset, one day from midnight by default).
 */
const dependsOnWindow = z
  .strictObject({
    deadline: localTime.optional().describe("Dependencies must be met each day before this time."),
    from: localTime
      .optional()
      .describe("With `to`: dependencies must be met each day between the two times."),
    to: localTime.optional().describe("With `from`: end of the daily window."),
    every: duration
      .optional()
      .describe("Size of a fixed window that advances at this interval (default P1D)."),
    offset: duration.optional().describe("Shift of the fixed window's start from midnight."),
    lookback: duration
      .optional()
      .describe("Sliding window: dependencies met within this duration before now."),
    timezone: z
      .string()
      .refine(isTimeZone, "an IANA time zone such as Europe/Paris")
      .optional()
      .describe("Zone of the daily times and midnight (UTC by default); lookback ignores it."),
  })
  .superRefine((w, ctx) => {
    const set = (keys: (keyof typeof w)[]) => keys.filter((k) => w[k] !== undefined);
    const clash = (own: (keyof typeof w)[], others: (keyof typeof w)[]) => {
      const mine = set(own);
      const theirs = set(others);
      if (mine.length && theirs.length)
        ctx.addIssue({
          code: "custom",
          path: [theirs[0] as string],
          message: `\`${theirs[0]}\` cannot be combined with \`${mine[0]}\` in a window`,
        });
    };
    if ((w.from === undefined) !== (w.to === undefined))
      ctx.addIssue({
        code: "custom",
        path: [w.from === undefined ? "from" : "to"],
        message: "a daily window needs both `from` and `to`",
      });
    clash(["deadline"], ["from", "to", "lookback", "every", "offset"]);
    clash(["from", "to"], ["lookback", "every", "offset"]);
    clash(["lookback"], ["every", "offset"]);
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
    .describe("Kestra 1.x: upstream executions that must all have happened within a time window."),
  dependsOn: z
    .array(dependency)
    .min(1)
    .optional()
    .describe("Kestra 2.0: upstream executions this trigger waits for, within `window`, as `mode` says."),
  window: dependsOnWindow
    .optional()
    .describe("Kestra 2.0: the time window in which `dependsOn` must be met."),
  mode: z
    .enum(["ALL", "ANY", "AT_LEAST"])
    .optional()
    .describe(
      "Kestra 2.0: how many `dependsOn` entries must be met: ALL (default), ANY, or AT_LEAST `minSatisfied`.",
    ),
  minSatisfied: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("Kestra 2.0: with `mode: AT_LEAST`, how many `dependsOn` entries must be met."),
});

/** Rules between properties (Kestra's FlowTriggerValidator), each saying what to write instead. */
function checkFlowTrigger(trigger: z.output<typeof flowTriggerSchema>, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (trigger.dependsOn && trigger.preconditions)
    issue(
      "preconditions",
      "`preconditions` (Kestra 1.x) and `dependsOn` (Kestra 2.0) cannot be combined: list the upstream flows under `dependsOn` and move `timeWindow` to `window`",
    );
  if (!trigger.dependsOn) {
    for (const key of ["window", "mode", "minSatisfied"] as const)
      if (trigger[key] !== undefined)
        issue(key, `\`${key}\` applies to \`dependsOn\` (Kestra 2.0), which this trigger does not have`);
    return;
  }
  if (trigger.mode === "AT_LEAST" && trigger.minSatisfied === undefined)
    issue("minSatisfied", "`mode: AT_LEAST` needs `minSatisfied`, the number of `dependsOn` entries to meet");
  if (trigger.minSatisfied !== undefined && trigger.mode !== "AT_LEAST")
    issue("minSatisfied", "`minSatisfied` applies only with `mode: AT_LEAST`");
  if (trigger.minSatisfied !== undefined && trigger.minSatisfied > trigger.dependsOn.length)
    issue(
      "minSatisfied",
      `\`minSatisfied\` is ${trigger.minSatisfied} but \`dependsOn\` has ${trigger.dependsOn.length} entr${trigger.dependsOn.length === 1 ? "y" : "ies"}: the trigger could never fire`,
    );
}

export const flowTriggerPlugin = definePlugin({
  type: "core.trigger.Flow",
  aliases: ["io.kestra.core.models.triggers.types.Flow"],
  kind: "trigger",
  title: "Start an execution when executions of other flows end.",
  description:
    "Variables `trigger.executionId`, `trigger.namespace`, `trigger.flowId`, `trigger.flowRevision`, `trigger.state` and `trigger.outputs` describe the upstream execution (the last one, with `dependsOn`). With `dependsOn`, `trigger.outputs.<flowId>.<key>` also holds the outputs of each upstream execution that met a dependency in the window.",
  schema: flowTriggerSchema.superRefine(checkFlowTrigger),
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
    {
      title: "Kestra 2.0: run once two upstream flows have succeeded before 9:00",
      flow: `id: silver_layer
namespace: company.team
tasks:
  - id: transform
    type: io.kestra.plugin.core.log.Log
    message: "bronze gave {{ trigger.outputs.bronze_layer.rows ?? 'nothing' }}"
triggers:
  - id: after_bronze
    type: io.kestra.plugin.core.trigger.Flow
    window:
      deadline: "09:00:00"
      timezone: Europe/Paris
    dependsOn:
      - namespace: company.team
        flowId: bronze_layer
        states: [SUCCESS]
      - namespace: company.team
        flowId: reference_data
        states: [SUCCESS, WARNING]
`,
    },
  ],
});
