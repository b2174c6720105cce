import { z } from "zod";
import { loadFlow } from "@/engine/flow";
import { type Plugin, type PluginRegistry, type TaskRunContext, unwrap } from "@/engine/plugin";
import type { ApiTool } from "./openai-client";

/** Kestra's tool that lets the model run runnable tasks the flow declares. */
export const KESTRA_TASK_TOOL = "io.kestra.plugin.ai.tool.KestraTask";

/** A property the model fills in: its value in the flow is `...`. */
const TO_FILL = "...";

/** One task the model may run, with the function the model sees. */
export interface TaskTool {
  name: string;
  tool: ApiTool;
  run(ctx: TaskRunContext<unknown>, args: Record<string, unknown>): Promise<unknown>;
}

function parameterSchema(plugin: Plugin, property: string): Record<string, unknown> {
  const schema = plugin.schema.shape[property] as z.ZodType | undefined;
  if (!schema) return { type: "string" };
  try {
    const json = z.toJSONSchema(unwrap(schema), { io: "input", unrepresentable: "any" }) as Record<
      string,
      unknown
    >;
    delete json.$schema;
    return json;
  } catch {
    return {};
  }
}

/**
 * The tools of a KestraTask tool entry: one function per declared task, named `kestra_task_<id>`, whose
 * parameters are the properties written as `...`. Other properties are fixed by the flow: the model can
 * neither change them nor run a task the flow does not declare.
 */
export function kestraTaskTools(entry: Record<string, unknown>, registry: PluginRegistry): TaskTool[] {
  const tasks = entry.tasks;
  if (!Array.isArray(tasks) || tasks.length === 0)
    throw new Error(`tool ${KESTRA_TASK_TOOL}: tasks must list at least one task`);
  return tasks.map((task, index) => {
    if (!task || typeof task !== "object" || Array.isArray(task))
      throw new Error(`tool ${KESTRA_TASK_TOOL}: tasks[${index}] must be a task`);
    const { id, type, description, ...properties } = task as Record<string, unknown>;
    if (typeof type !== "string") throw new Error(`tool ${KESTRA_TASK_TOOL}: tasks[${index}] has no type`);
    const plugin = registry.get(type);
    if (!plugin) throw new Error(`tool ${KESTRA_TASK_TOOL}: unknown task type '${type}'`);
    if (plugin.kind !== "runnable" || !plugin.run)
      throw new Error(`tool ${KESTRA_TASK_TOOL}: ${type} is not a runnable task`);
    const taskId = typeof id === "string" && id ? id : `task_${index}`;
    const toFill = Object.keys(properties).filter((key) => properties[key] === TO_FILL);
    const name = `kestra_task_${taskId}`.replace(/[^A-Za-z0-9_-]/g, "_");
    return {
      name,
      tool: {
        type: "function",
        function: {
          name,
          description:
            typeof description === "string" ? description : `${plugin.title} (Kestra task ${plugin.type})`,
          parameters: {
            type: "object",
            properties: Object.fromEntries(toFill.map((key) => [key, parameterSchema(plugin, key)])),
            required: toFill,
          },
        },
      },
      async run(ctx, args) {
        const given = Object.fromEntries(toFill.filter((key) => key in args).map((key) => [key, args[key]]));
        const missing = toFill.filter((key) => !(key in given));
        if (missing.length) throw new Error(`missing argument(s): ${missing.join(", ")}`);
        const loaded = loadFlow(
          JSON.stringify({
            id: ctx.execution.flowId,
            namespace: ctx.execution.namespace,
            tasks: [{ ...properties, ...given, id: ctx.task.id, type }],
          }),
          { registry },
        );
        const valid = loaded.flow?.tasks[0];
        if (!valid) {
          const messages = loaded.errors.map(
            (e) => (e.path ? `${e.path.replace(/^tasks\[0\]\.?/, "")}: ` : "") + e.message,
          );
          throw new Error(`invalid arguments for ${plugin.type}: ${messages.join("; ")}`);
        }
        const own = Object.fromEntries(
          Object.keys(plugin.schema.shape)
            .filter((key) => key in valid)
            .map((key) => [key, (valid as Record<string, unknown>)[key]]),
        );
        const outcome = await (plugin.run as NonNullable<Plugin["run"]>)({
          ...ctx,
          properties: own as never,
          task: { id: ctx.task.id, type: plugin.type },
        });
        return outcome?.outputs ?? {};
      },
    };
  });
}
