import { forEachItemHandler, forEachItemSchema, validateNotRecursive } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";
import { old } from "./aliases";

export const forEachItemPlugin = definePlugin({
  type: "core.flow.ForEachItem",
  aliases: [old("ForEachItem")],
  kind: "flowable",
  title: "Split a file into batches and start a subflow per batch.",
  description:
    "Each subflow gets the URI of its batch as `{{ taskrun.items }}` and its number from 1 as `{{ taskrun.iteration }}`. " +
    "It runs three task runs, as Kestra's: `<id>_split` (output `splits`, a file of the batch URIs), `<id>_items` " +
    "(the subflows; outputs `numberOfBatches` and `iterations`, counts by state, which the ForEachItem run shows too) " +
    "and `<id>_merge` (output `subflowOutputs`, a file of the subflows' flow outputs, one line each).",
  schema: forEachItemSchema,
  handler: forEachItemHandler,
  examples: [
    {
      title: "Start one subflow execution per batch of 100 rows of an uploaded file",
      flow: `id: each_item
namespace: company.team

inputs:
  - id: file
    type: FILE

tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ inputs.file }}"
    batch:
      rows: 100
    namespace: company.team
    flowId: process_batch
    wait: true
    transmitFailed: true
    inputs:
      batch: "{{ taskrun.items }}"
`,
    },
  ],
  validate: validateNotRecursive,
});
