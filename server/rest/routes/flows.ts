import { z } from "zod";
import { searchFlows } from "../../services/flow-search";
import {
  createFlow,
  deleteFlow,
  flowRevisions,
  flowsOfNamespace,
  getFlow,
  updateFlow,
  validateFlows,
} from "../../services/flows";
import { savedFlowGraph, sourceFlowGraph } from "../../services/graphs";
import { booleanText, flowId, labelText, namespace, page, repeated, size } from "../../services/schemas";
import { flowDetail, flowGraphSchema, flowSearchPage, flowValidation } from "../responses";
import { type AnyRoute, defineRoute } from "../route";

const flowParams = z.object({ namespace, flowId });
const yamlBody = { kind: "yaml" } as const;

export const flowRoutes: AnyRoute[] = [
  defineRoute({
    method: "POST",
    path: "/flows",
    tag: "Flows",
    summary:
      "Create a flow from its YAML (Content-Type: application/x-yaml). 409 if it exists, 422 if it does not validate.",
    body: yamlBody,
    responses: [{ status: 200, description: "The flow as saved.", schema: flowDetail }],
    handler: async ({ scope, body }) => ({ body: await createFlow(scope, body as string) }),
  }),
  defineRoute({
    method: "POST",
    path: "/flows/validate",
    tag: "Flows",
    summary: "Validate one or more flows (YAML documents separated by ---) without saving them.",
    body: yamlBody,
    responses: [
      {
        status: 200,
        description: "One result per document, with each error's line and column.",
        schema: z.array(flowValidation),
      },
    ],
    handler: async ({ scope, body }) => ({ body: validateFlows(scope, body as string) }),
  }),
  defineRoute({
    method: "POST",
    path: "/flows/graph",
    tag: "Flows",
    summary:
      "The topology of a flow's YAML as typed in the editor (nothing saved); 422 if it does not validate.",
    body: yamlBody,
    responses: [{ status: 200, description: "The graph.", schema: flowGraphSchema }],
    handler: async ({ scope, body }) => ({ body: sourceFlowGraph(scope, body as string) }),
  }),
  defineRoute({
    method: "GET",
    path: "/flows/search",
    tag: "Flows",
    summary:
      "Search flows by namespace (and its children), text in their id or namespace, and labels (`key:value`, repeatable; all must match). Page with `page`, or with `after` set to the previous page's `next`.",
    query: z.object({
      namespace: namespace.optional(),
      q: z.string().max(200).optional(),
      labels: repeated(labelText),
      after: z.string().max(2000).optional(),
      page,
      size,
    }),
    responses: [{ status: 200, description: "A page of flows.", schema: flowSearchPage }],
    handler: async ({ scope, query }) => ({
      body: await searchFlows(scope, {
        ...query,
        ...(query.labels ? { labels: query.labels as { key: string; value: string }[] } : {}),
      }),
    }),
  }),
  defineRoute({
    method: "GET",
    path: "/flows/{namespace}",
    tag: "Flows",
    summary: "Every flow of a namespace (not its children).",
    params: z.object({ namespace }),
    responses: [{ status: 200, description: "The flows.", schema: z.array(flowDetail) }],
    handler: async ({ scope, params }) => ({ body: await flowsOfNamespace(scope, params.namespace) }),
  }),
  defineRoute({
    method: "GET",
    path: "/flows/{namespace}/{flowId}",
    tag: "Flows",
    summary: "A flow, at its current revision or at `revision`.",
    params: flowParams,
    query: z.object({
      revision: z.coerce.number().int().min(1).optional(),
      allowDeleted: booleanText.optional(),
    }),
    responses: [{ status: 200, description: "The flow, its YAML in `source`.", schema: flowDetail }],
    handler: async ({ scope, params, query }) => ({
      body: await getFlow(scope, params.namespace, params.flowId, query),
    }),
  }),
  defineRoute({
    method: "PUT",
    path: "/flows/{namespace}/{flowId}",
    tag: "Flows",
    summary: "Save a new revision of a flow from its YAML (unchanged source: no new revision).",
    params: flowParams,
    body: yamlBody,
    responses: [{ status: 200, description: "The flow as saved.", schema: flowDetail }],
    handler: async ({ scope, params, body }) => ({
      body: await updateFlow(scope, params.namespace, params.flowId, body as string),
    }),
  }),
  defineRoute({
    method: "DELETE",
    path: "/flows/{namespace}/{flowId}",
    tag: "Flows",
    summary: "Delete a flow (its revisions and executions are kept).",
    params: flowParams,
    responses: [{ status: 204, description: "Deleted." }],
    handler: async ({ scope, params }) => {
      await deleteFlow(scope, params.namespace, params.flowId);
      return {};
    },
  }),
  defineRoute({
    method: "GET",
    path: "/flows/{namespace}/{flowId}/graph",
    tag: "Flows",
    summary: "The topology of a flow, at its current revision or at `revision`.",
    params: flowParams,
    query: z.object({ revision: z.coerce.number().int().min(1).optional() }),
    responses: [{ status: 200, description: "The graph.", schema: flowGraphSchema }],
    handler: async ({ scope, params, query }) => ({
      body: await savedFlowGraph(scope, params.namespace, params.flowId, query),
    }),
  }),
  defineRoute({
    method: "GET",
    path: "/flows/{namespace}/{flowId}/revisions",
    tag: "Flows",
    summary: "Every saved revision of a flow, oldest first, with its YAML.",
    params: flowParams,
    responses: [
      {
        status: 200,
        description: "The revisions.",
        schema: z.array(
          z.object({
            revision: z.number(),
            created: z.string(),
            authorId: z.string().nullable(),
            source: z.string(),
          }),
        ),
      },
    ],
    handler: async ({ scope, params }) => ({
      body: await flowRevisions(scope, params.namespace, params.flowId),
    }),
  }),
];
