import { z } from "zod";
import { duration, expression, labels, taskList } from "../plugin/schema";
import { FLOW_ID, NAMESPACE, stateSchema } from "./common";
import { flowOutputSchema, inputSchema } from "./inputs-schema";
import { retrySchema } from "./retry";

/** A trigger, validated against its own plugin by the loader. */
export const triggerRef = z
  .any()
  .meta({ id: "Trigger", description: "A trigger: `id`, `type` and the properties of that type." });

export const pluginDefaultSchema = z.strictObject({
  type: z.string().describe("Type name or prefix the defaults apply to (e.g. io.kestra.plugin.core.log)."),
  forced: z.boolean().default(false).describe("Forced defaults override the task's own values."),
  values: z.record(z.string(), z.unknown()).describe("Property values to apply."),
});
export type PluginDefault = z.output<typeof pluginDefaultSchema>;

const slaSchema = z
  .strictObject({
    id: z.string(),
    type: z.enum(["MAX_DURATION", "EXECUTION_ASSERTION", "EXECUTION_CONDITION"]),
    behavior: z.enum(["FAIL", "CANCEL", "NONE"]).default("FAIL"),
    labels: labels.optional(),
    duration: duration.optional(),
    assert: expression.optional(),
    condition: expression.optional(),
  })
  .superRefine((sla, ctx) => {
    if (sla.type === "MAX_DURATION" && !sla.duration) {
      ctx.addIssue({ code: "custom", path: ["duration"], message: "a MAX_DURATION SLA needs a duration" });
    }
    if (sla.type === "EXECUTION_ASSERTION" && !sla.assert) {
      ctx.addIssue({
        code: "custom",
        path: ["assert"],
        message: "an EXECUTION_ASSERTION SLA needs an assert expression",
      });
    }
  })
  .describe("A service-level agreement checked while the execution runs.");
export type Sla = z.output<typeof slaSchema>;

// Kestra 1.2's `condition` was renamed `when` in 2.0; either is accepted, one is required.
const checkSchema = z
  .strictObject({
    when: z.string().optional().describe("Kestra 2.0: an expression that must render to true."),
    condition: z.string().optional().describe("Kestra 1.x name of `when`."),
    message: z.string().describe("Shown when the check does not hold."),
    style: z.enum(["ERROR", "SUCCESS", "WARNING", "INFO"]).default("INFO"),
    behavior: z.enum(["BLOCK_EXECUTION", "FAIL_EXECUTION", "CREATE_EXECUTION"]).default("BLOCK_EXECUTION"),
  })
  .superRefine((check, ctx) => {
    if (check.when === undefined && check.condition === undefined)
      ctx.addIssue({ code: "custom", path: ["when"], message: "a check needs `when` (or 1.x `condition`)" });
    if (check.when !== undefined && check.condition !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["condition"],
        message: "a check has `when` (Kestra 2.0) or `condition` (1.x), not both",
      });
  })
  .describe("A pre-execution assertion (Kestra's flow `checks`), checked when an execution is created.");

/** The top level of a flow (Kestra's Flow.java). Tasks and triggers are validated per plugin afterwards. */
export const flowSchema = z
  .strictObject({
    id: z
      .string()
      .min(1)
      .max(100)
      .regex(
        FLOW_ID,
        "flow id must start with a letter or digit and contain only letters, digits, ., _ and -",
      )
      .describe("Flow id, unique within its namespace."),
    namespace: z
      .string()
      .min(1)
      .max(150)
      .regex(
        NAMESPACE,
        "namespace must be lower case letters, digits, ., _ and -, starting with a letter or digit",
      )
      .describe("Dot-separated namespace, e.g. company.team."),
    revision: z.number().int().min(1).optional().describe("Managed by the server."),
    description: z.string().optional(),
    labels: labels.optional(),
    inputs: z.array(inputSchema).optional(),
    outputs: z.array(flowOutputSchema).optional(),
    variables: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("Static values read as {{ vars.name }}."),
    tasks: taskList("The tasks of the flow, run in order.", { min: 1 }),
    errors: taskList("Tasks run when the execution fails.").optional(),
    finally: taskList("Tasks always run at the end, while the execution is still running.").optional(),
    afterExecution: taskList("Tasks run after the execution reaches its final state.").optional(),
    triggers: z.array(triggerRef).optional(),
    pluginDefaults: z.array(pluginDefaultSchema).optional(),
    taskDefaults: z.array(pluginDefaultSchema).optional().describe("Deprecated alias of pluginDefaults."),
    concurrency: z
      .strictObject({
        limit: z.number().int().min(1),
        behavior: z.enum(["QUEUE", "CANCEL", "FAIL"]).default("QUEUE"),
      })
      .optional()
      .describe("Caps the number of running executions of this flow."),
    retry: retrySchema.optional().describe("Flow-level retry of failed executions."),
    sla: z.array(slaSchema).optional(),
    checks: z.array(checkSchema).optional(),
    workerGroup: z
      .strictObject({ key: z.string(), fallback: z.enum(["FAIL", "WAIT", "CANCEL"]).optional() })
      .optional(),
    disabled: z.boolean().default(false),
    deleted: z.boolean().default(false),
    tenantId: z.string().optional(),
    listeners: z.array(z.unknown()).optional().describe("Deprecated: use afterExecution or Flow triggers."),
  })
  .describe("A Cadenza flow (Kestra's flow language).");

export const executionStateSchema = stateSchema;
