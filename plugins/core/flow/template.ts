import { z } from "zod";
import type { FlowableHandler } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

const REMOVED = "templates are not supported: use core.flow.Subflow";

/**
 * Kestra removed templates; a flow that still has one loads with a deprecation warning, and the task fails
 * when it is reached, saying what to use instead (a flowable always has a handler, even one that refuses).
 */
const removed: FlowableHandler = {
  start: () => {
    throw new Error(`core.flow.Template cannot run: ${REMOVED}`);
  },
  resolve: () => ({ state: "FAILED", error: `core.flow.Template cannot run: ${REMOVED}` }),
};

export const templatePlugin = definePlugin({
  type: "core.flow.Template",
  aliases: [old("Template")],
  kind: "flowable",
  title: "Removed: templates were replaced by subflows.",
  deprecated: REMOVED,
  schema: z.object({
    namespace: z.string(),
    templateId: z.string(),
    args: z.record(z.string(), z.string()).optional(),
  }),
  handler: removed,
});
