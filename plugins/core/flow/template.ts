import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

export const templatePlugin = definePlugin({
  type: "core.flow.Template",
  aliases: [old("Template")],
  kind: "flowable",
  title: "Removed: templates were replaced by subflows.",
  deprecated: "templates are not supported: use core.flow.Subflow",
  schema: z.object({
    namespace: z.string(),
    templateId: z.string(),
    args: z.record(z.string(), z.string()).optional(),
  }),
});
