import { z } from "zod";
import { flowOperations as ops } from "../../operations/flows";
import { flowDetail, flowGraphSchema, flowSearchPage, flowValidation } from "../responses";
import { type AnyRoute, operationRoute } from "../route";
import { labelsAsText } from "../wire";

const yamlBody = { kind: "yaml" } as const;
const sourceOf = ({ body }: { body: unknown }) => ({ source: body });

export const flowRoutes: AnyRoute[] = [
  operationRoute(ops.create, {
    method: "POST",
    path: "/flows",
    tag: "Flows",
    summary:
      "Create a flow from its YAML (Content-Type: application/x-yaml). 409 if it exists, 422 if it does not validate.",
    body: yamlBody,
    responses: [{ status: 200, description: "The flow as saved.", schema: flowDetail }],
    input: sourceOf,
  }),
  operationRoute(ops.validate, {
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
    input: sourceOf,
  }),
  operationRoute(ops.sourceGraph, {
    method: "POST",
    path: "/flows/graph",
    tag: "Flows",
    summary:
      "The topology of a flow's YAML as typed in the editor (nothing saved); 422 if it does not validate.",
    body: yamlBody,
    responses: [{ status: 200, description: "The graph.", schema: flowGraphSchema }],
    input: sourceOf,
  }),
  operationRoute(ops.search, {
    method: "GET",
    path: "/flows/search",
    tag: "Flows",
    summary:
      "Search flows by namespace (and its children), text in their id or namespace, and labels (`key:value`, repeatable; all must match). Page with `page`, or with `after` set to the previous page's `next`.",
    overrides: { labels: labelsAsText },
    responses: [{ status: 200, description: "A page of flows.", schema: flowSearchPage }],
  }),
  operationRoute(ops.ofNamespace, {
    method: "GET",
    path: "/flows/{namespace}",
    tag: "Flows",
    summary: "Every flow of a namespace (not its children).",
    responses: [{ status: 200, description: "The flows.", schema: z.array(flowDetail) }],
  }),
  operationRoute(ops.get, {
    method: "GET",
    path: "/flows/{namespace}/{flowId}",
    tag: "Flows",
    summary: "A flow, at its current revision or at `revision`.",
    responses: [{ status: 200, description: "The flow, its YAML in `source`.", schema: flowDetail }],
  }),
  operationRoute(ops.update, {
    method: "PUT",
    path: "/flows/{namespace}/{flowId}",
    tag: "Flows",
    summary: "Save a new revision of a flow from its YAML (unchanged source: no new revision).",
    body: yamlBody,
    responses: [{ status: 200, description: "The flow as saved.", schema: flowDetail }],
    input: ({ params, body }) => ({ ...params, source: body }),
  }),
  operationRoute(ops.delete, {
    method: "DELETE",
    path: "/flows/{namespace}/{flowId}",
    tag: "Flows",
    summary: "Delete a flow (its revisions and executions are kept).",
    responses: [{ status: 204, description: "Deleted." }],
  }),
  operationRoute(ops.graph, {
    method: "GET",
    path: "/flows/{namespace}/{flowId}/graph",
    tag: "Flows",
    summary: "The topology of a flow, at its current revision or at `revision`.",
    responses: [{ status: 200, description: "The graph.", schema: flowGraphSchema }],
  }),
  operationRoute(ops.revisions, {
    method: "GET",
    path: "/flows/{namespace}/{flowId}/revisions",
    tag: "Flows",
    summary: "Every saved revision of a flow, oldest first, with its YAML.",
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
  }),
];
