// Flows: read, search, validate, draw, save and delete.
import { z } from "zod";
import { editorContext } from "../services/editor-context";
import { flowHistory } from "../services/flow-history";
import { searchFlows } from "../services/flow-search";
import {
  createFlow,
  deleteFlow,
  flowRevisions,
  flowsOfNamespace,
  getFlow,
  listFlows,
  updateFlow,
  validateFlows,
} from "../services/flows";
import { savedFlowGraph, sourceFlowGraph } from "../services/graphs";
import { flowId, label, namespace, page, revisionNumber, size } from "../services/schemas";
import { defineOperation, fromInput } from "./operation";
import { fromFlowSource } from "./resolvers";

const source = z.string().min(1).max(1_000_000);
const flowRef = z.object({ namespace, flowId });
const revision = revisionNumber.optional();

const read = { resource: "FLOW", action: "READ" } as const;
const onNamespace = fromInput<{ namespace: string }>("namespace");

export const flowOperations = {
  list: defineOperation({
    name: "flows.list",
    kind: "query",
    input: z.object({ namespace: namespace.optional(), q: z.string().max(200).optional(), page, size }),
    permission: { ...read, namespace: "any" },
    run: (scope, input) => listFlows(scope, input),
  }),
  search: defineOperation({
    name: "flows.search",
    kind: "query",
    input: z.object({
      namespace: namespace.optional(),
      q: z.string().max(200).optional(),
      labels: z.array(label).max(20).optional(),
      after: z.string().max(2000).optional(),
      page: page.optional(),
      size,
    }),
    permission: { ...read, namespace: "any" },
    run: (scope, input) => searchFlows(scope, input),
  }),
  /** What the editor may offer in a namespace (secrets, KV keys, what the person may do): theirs alone. */
  editorContext: defineOperation({
    name: "flows.editorContext",
    kind: "query",
    input: z.object({ namespace: namespace.optional() }),
    permission: "authenticated",
    run: (scope, input) => editorContext(scope, input.namespace),
  }),
  ofNamespace: defineOperation({
    name: "flows.ofNamespace",
    kind: "query",
    input: z.object({ namespace }),
    permission: { ...read, namespace: onNamespace },
    run: (scope, input) => flowsOfNamespace(scope, input.namespace),
  }),
  get: defineOperation({
    name: "flows.get",
    kind: "query",
    input: flowRef.extend({ revision, allowDeleted: z.boolean().optional() }),
    permission: { ...read, namespace: onNamespace },
    run: (scope, input) => getFlow(scope, input.namespace, input.flowId, input),
  }),
  revisions: defineOperation({
    name: "flows.revisions",
    kind: "query",
    input: flowRef,
    permission: { ...read, namespace: onNamespace },
    run: (scope, input) => flowRevisions(scope, input.namespace, input.flowId),
  }),
  history: defineOperation({
    name: "flows.history",
    kind: "query",
    input: flowRef,
    permission: { ...read, namespace: onNamespace },
    run: (scope, input) => flowHistory(scope, input.namespace, input.flowId),
  }),
  /** Needs FLOW:READ somewhere; the service checks it again in each namespace a document declares. */
  validate: defineOperation({
    name: "flows.validate",
    kind: "query",
    input: z.object({ source }),
    permission: { ...read, namespace: "any" },
    run: (scope, input) => validateFlows(scope, input.source),
  }),
  graph: defineOperation({
    name: "flows.graph",
    kind: "query",
    input: flowRef.extend({ revision }),
    permission: { ...read, namespace: onNamespace },
    run: (scope, input) => savedFlowGraph(scope, input.namespace, input.flowId, input),
  }),
  sourceGraph: defineOperation({
    name: "flows.sourceGraph",
    kind: "query",
    input: z.object({ source }),
    permission: { ...read, namespace: fromFlowSource("source") },
    run: (scope, input) => sourceFlowGraph(scope, input.source),
  }),
  create: defineOperation({
    name: "flows.create",
    kind: "mutation",
    audit: { resourceType: "FLOW", actions: ["CREATE"] },
    input: z.object({ source }),
    permission: { resource: "FLOW", action: "CREATE", namespace: fromFlowSource("source") },
    run: (scope, input) => createFlow(scope, input.source),
  }),
  update: defineOperation({
    name: "flows.update",
    kind: "mutation",
    audit: { resourceType: "FLOW", actions: ["UPDATE"] },
    input: flowRef.extend({ source }),
    permission: { resource: "FLOW", action: "UPDATE", namespace: onNamespace },
    run: (scope, input) => updateFlow(scope, input.namespace, input.flowId, input.source),
  }),
  delete: defineOperation({
    name: "flows.delete",
    kind: "mutation",
    audit: { resourceType: "FLOW", actions: ["DELETE"] },
    input: flowRef,
    permission: { resource: "FLOW", action: "DELETE", namespace: onNamespace },
    run: (scope, input) => deleteFlow(scope, input.namespace, input.flowId),
  }),
};
