// Flows in bulk: enable, disable, delete and export by ids or by query, and import. By ids, every flow's
// namespace needs the right (one refused refuses the call, nothing changes); by query, the right somewhere,
// and the service skips the flows outside it; an import saves what it may and reports the rest FORBIDDEN.
import { z } from "zod";
import type { Action } from "../access/permissions";
import {
  deleteFlowsByIds,
  deleteFlowsByQuery,
  disableFlowsByIds,
  disableFlowsByQuery,
  enableFlowsByIds,
  enableFlowsByQuery,
  exportFlowsByIds,
  exportFlowsByQuery,
  importFlows,
} from "../services/flows-bulk";
import { flowId, label, namespace } from "../services/schemas";
import { defineOperation, fromRefs } from "./operation";

const byIds = z.object({ flows: z.array(z.object({ namespace, id: flowId })).max(5000) });
const byQuery = z.object({
  q: z.string().max(200).optional(),
  namespace: namespace.optional(),
  labels: z.array(label).optional(),
});
const onEach = (action: Action) =>
  ({ resource: "FLOW", action, namespace: fromRefs<z.output<typeof byIds>>("flows") }) as const;
/** A query reads the flows (FLOW:READ) it acts on (the action): both somewhere. */
const somewhere = (action: Action) =>
  [
    { resource: "FLOW", action: "READ", namespace: "any" },
    { resource: "FLOW", action, namespace: "any" },
  ] as const;

export const flowBulkOperations = {
  enableByIds: defineOperation({
    name: "flowsBulk.enableByIds",
    kind: "mutation",
    audit: { resourceType: "FLOW", actions: ["UPDATE"] },
    input: byIds,
    permission: onEach("UPDATE"),
    run: (scope, input) => enableFlowsByIds(scope, input.flows),
  }),
  disableByIds: defineOperation({
    name: "flowsBulk.disableByIds",
    kind: "mutation",
    audit: { resourceType: "FLOW", actions: ["UPDATE"] },
    input: byIds,
    permission: onEach("UPDATE"),
    run: (scope, input) => disableFlowsByIds(scope, input.flows),
  }),
  deleteByIds: defineOperation({
    name: "flowsBulk.deleteByIds",
    kind: "mutation",
    audit: { resourceType: "FLOW", actions: ["DELETE"] },
    input: byIds,
    permission: onEach("DELETE"),
    run: (scope, input) => deleteFlowsByIds(scope, input.flows),
  }),
  exportByIds: defineOperation({
    name: "flowsBulk.exportByIds",
    kind: "query",
    input: byIds,
    permission: onEach("READ"),
    run: (scope, input) => exportFlowsByIds(scope, input.flows),
  }),
  enableByQuery: defineOperation({
    name: "flowsBulk.enableByQuery",
    kind: "mutation",
    audit: { resourceType: "FLOW", actions: ["UPDATE"] },
    input: byQuery,
    permission: somewhere("UPDATE"),
    run: (scope, input) => enableFlowsByQuery(scope, input),
  }),
  disableByQuery: defineOperation({
    name: "flowsBulk.disableByQuery",
    kind: "mutation",
    audit: { resourceType: "FLOW", actions: ["UPDATE"] },
    input: byQuery,
    permission: somewhere("UPDATE"),
    run: (scope, input) => disableFlowsByQuery(scope, input),
  }),
  deleteByQuery: defineOperation({
    name: "flowsBulk.deleteByQuery",
    kind: "mutation",
    audit: { resourceType: "FLOW", actions: ["DELETE"] },
    input: byQuery,
    permission: somewhere("DELETE"),
    run: (scope, input) => deleteFlowsByQuery(scope, input),
  }),
  exportByQuery: defineOperation({
    name: "flowsBulk.exportByQuery",
    kind: "query",
    input: byQuery,
    permission: { resource: "FLOW", action: "READ", namespace: "any" },
    run: (scope, input) => exportFlowsByQuery(scope, input),
  }),
  /**
   * YAML text (one or more `---` documents), from the UI. Each document needs FLOW:CREATE or UPDATE on its
   * own namespace, which only the service knows once it has parsed it: a refusal is one line of the result.
   */
  importYaml: defineOperation({
    name: "flowsBulk.importYaml",
    kind: "mutation",
    audit: { resourceType: "FLOW", actions: ["CREATE", "UPDATE"] },
    input: z.object({ source: z.string().min(1).max(5_000_000), fileName: z.string().max(255).optional() }),
    permission: "authenticated",
    run: (scope, input) =>
      importFlows(scope, {
        fileName: input.fileName ?? "flows.yml",
        content: new TextEncoder().encode(input.source),
      }),
  }),
  /** REST's multipart import: a YAML file or a zip of them (unpacked within the import limit). */
  import: defineOperation({
    name: "flowsBulk.import",
    kind: "mutation",
    audit: { resourceType: "FLOW", actions: ["CREATE", "UPDATE"] },
    input: z.object({ fileName: z.string(), content: z.instanceof(Uint8Array) }),
    permission: "authenticated",
    run: (scope, input, transport) => importFlows(scope, input, transport.limits?.importBytes),
  }),
};
