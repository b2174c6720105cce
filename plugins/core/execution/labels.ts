import { z } from "zod";
import { definePlugin, type Label } from "@/engine/plugin";

/** A label value as Kestra writes it: a nested map or list as JSON (`{"name":"done"}`), anything else as text. */
const labelValue = (v: unknown): string =>
  v !== null && typeof v === "object" ? JSON.stringify(v) : String(v);

function toLabels(value: unknown): Label[] {
  let parsed = value;
  if (typeof parsed === "string") {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      throw new Error("labels must be a map, a list of {key, value} or a JSON string of one of those");
    }
  }
  if (Array.isArray(parsed)) {
    return parsed.map((item) => {
      const { key, value: v } = item as { key?: unknown; value?: unknown };
      if (typeof key !== "string") throw new Error("each label needs a string key");
      return { key, value: labelValue(v) };
    });
  }
  if (parsed && typeof parsed === "object") {
    return Object.entries(parsed).map(([key, v]) => ({ key, value: labelValue(v) }));
  }
  throw new Error("labels must be a map or a list of {key, value}");
}

export const labelsPlugin = definePlugin({
  type: "core.execution.Labels",
  aliases: ["io.kestra.core.tasks.executions.Labels"],
  kind: "runnable",
  inline: true,
  title: "Add or override labels on the running execution.",
  schema: z.object({
    labels: z
      .union([z.record(z.string(), z.unknown()), z.array(z.unknown()), z.string()])
      .describe("Labels to set."),
  }),
  examples: [
    {
      title: "Label the execution with values known only at run time",
      flow: `id: runtime_labels
namespace: company.team

inputs:
  - id: customer
    type: STRING
    defaults: acme

tasks:
  - id: labels
    type: io.kestra.plugin.core.execution.Labels
    labels:
      customer: "{{ inputs.customer }}"
      started: "{{ execution.startDate | date('yyyy-MM-dd') }}"
`,
    },
  ],
  run({ properties }) {
    const labels = toLabels(properties.labels);
    // Kestra's Labels task fails on an empty key or value (RuntimeLabelsTest.updateIgnoresEmpty), and then
    // sets none of its labels.
    const empty = labels.find((l) => l.key === "" || l.value === "");
    if (empty)
      throw new Error(
        empty.key === ""
          ? `a label key is empty (value '${empty.value}'): every label needs a key and a value`
          : `label '${empty.key}' has an empty value: every label needs a key and a value`,
      );
    const reserved = labels.find((l) => l.key.startsWith("system."));
    if (reserved)
      throw new Error(
        `label '${reserved.key}' is reserved: labels starting with 'system.' are set by Cadenza itself`,
      );
    return { labels };
  },
});
