// Blueprints under Kestra's paths: /blueprints/community/... (Cadenza's own, tested in CI) and
// /blueprints/custom/... (the tenant's own, Kestra's Enterprise paths).
import { z } from "zod";
import { blueprintOperations as ops } from "../../operations/blueprints";
import { blueprintInput, blueprintTagsText, page, size } from "../../services/schemas";
import { flowGraphSchema } from "../responses";
import { type AnyRoute, operationRoute } from "../route";
import { wireOverride } from "../wire";

const summary = z
  .object({
    id: z.string(),
    kind: z.enum(["community", "custom"]),
    title: z.string(),
    excerpt: z.string(),
    tags: z.array(z.string()),
    includedTasks: z.array(z.string()),
    namespace: z.string(),
    flowId: z.string(),
    updated: z.string().optional(),
  })
  .meta({ id: "BlueprintSummary" });
const detail = summary
  .extend({
    description: z.string().meta({ description: "Markdown." }),
    source: z.string().meta({ description: "The flow's YAML." }),
    graph: flowGraphSchema,
    exampleInputs: z.record(z.string(), z.unknown()).optional(),
    companions: z.array(z.object({ file: z.string(), source: z.string() })).optional(),
    createdBy: z.string().nullable().optional(),
  })
  .meta({ id: "Blueprint" });
const tag = z.object({ name: z.string(), count: z.number().int() }).meta({ id: "BlueprintTag" });
const results = z.object({ results: z.array(summary), total: z.number().int() });

/** The search's query: text and tags for the operation, and the page, which the route cuts itself. */
const search = {
  query: z.object({ page, size }),
  inQuery: ["q", "tags"],
  overrides: {
    tags: wireOverride(
      blueprintTagsText,
      "Kestra's UI sends tags comma-separated (tags=a,b) as well as repeated",
    ),
  },
} as const;

/** Kestra's paged results: one page of the matches, and how many there are in all. */
const found = <T>(list: T[], query: { page: number; size: number }) => ({
  results: list.slice((query.page - 1) * query.size, query.page * query.size),
  total: list.length,
});

/** The search the operation runs: the page and its size are the route's own (`found`). */
const searchOf = ({ query }: { query: { page: number; size: number } & Record<string, unknown> }) => {
  const { page: _page, size: _size, ...search } = query;
  return search;
};

export const blueprintRoutes: AnyRoute[] = [
  operationRoute(ops.communitySearch, {
    method: "GET",
    path: "/blueprints/community/search",
    tag: "Blueprints",
    summary: "Search Cadenza's blueprints by text (title, description, tags, task types) and tags.",
    ...search,
    input: searchOf,
    responses: [{ status: 200, description: "The matching blueprints.", schema: results }],
    output: (list, { query }) => ({ body: found(list, query) }),
  }),
  operationRoute(ops.communityTags, {
    method: "GET",
    path: "/blueprints/community/tags",
    tag: "Blueprints",
    summary: "Tags of Cadenza's blueprints, with how many blueprints carry each.",
    responses: [{ status: 200, description: "The tags.", schema: z.array(tag) }],
  }),
  operationRoute(ops.community, {
    method: "GET",
    path: "/blueprints/community/{id}",
    tag: "Blueprints",
    summary: "One of Cadenza's blueprints: its description, flow source and topology.",
    responses: [
      { status: 200, description: "The blueprint.", schema: detail },
      { status: 404, description: "No such blueprint." },
    ],
  }),
  operationRoute(ops.community, {
    method: "GET",
    path: "/blueprints/community/{id}/source",
    tag: "Blueprints",
    summary: "The flow YAML of one of Cadenza's blueprints (as Kestra serves it).",
    responses: [
      { status: 200, description: "The YAML.", contentType: "application/x-yaml" },
      { status: 404, description: "No such blueprint." },
    ],
    output: (blueprint) =>
      new Response(blueprint.source, {
        headers: { "content-type": "application/x-yaml; charset=utf-8" },
      }),
  }),
  operationRoute(ops.community, {
    method: "GET",
    path: "/blueprints/community/{id}/graph",
    tag: "Blueprints",
    summary: "The topology of one of Cadenza's blueprints (as Kestra serves it).",
    responses: [
      { status: 200, description: "The graph.", schema: flowGraphSchema },
      { status: 404, description: "No such blueprint." },
    ],
    output: (blueprint) => ({ body: blueprint.graph }),
  }),
  operationRoute(ops.customSearch, {
    method: "GET",
    path: "/blueprints/custom",
    tag: "Blueprints",
    summary: "Blueprints of the tenant, searched by text and tags.",
    ...search,
    input: searchOf,
    responses: [{ status: 200, description: "The matching blueprints.", schema: results }],
    output: (list, { query }) => ({ body: found(list, query) }),
  }),
  operationRoute(ops.customTags, {
    method: "GET",
    path: "/blueprints/custom/tags",
    tag: "Blueprints",
    summary: "Tags of the tenant's blueprints.",
    responses: [{ status: 200, description: "The tags.", schema: z.array(tag) }],
  }),
  operationRoute(ops.create, {
    method: "POST",
    path: "/blueprints/custom",
    tag: "Blueprints",
    summary: "Save a flow's YAML as a blueprint of the tenant (BLUEPRINT:CREATE).",
    body: { kind: "json", schema: blueprintInput },
    responses: [
      { status: 201, description: "Created.", schema: detail },
      { status: 422, description: "The source is not a valid flow." },
    ],
    input: ({ body }) => body,
    output: (blueprint) => ({ status: 201, body: blueprint }),
  }),
  operationRoute(ops.custom, {
    method: "GET",
    path: "/blueprints/custom/{id}",
    tag: "Blueprints",
    summary: "A blueprint of the tenant.",
    responses: [
      { status: 200, description: "The blueprint.", schema: detail },
      { status: 404, description: "No such blueprint." },
    ],
  }),
  operationRoute(ops.update, {
    method: "PUT",
    path: "/blueprints/custom/{id}",
    tag: "Blueprints",
    summary: "Replace a blueprint of the tenant (BLUEPRINT:UPDATE).",
    body: { kind: "json", schema: blueprintInput },
    responses: [
      { status: 200, description: "The blueprint as saved.", schema: detail },
      { status: 404, description: "No such blueprint." },
      { status: 422, description: "The source is not a valid flow." },
    ],
    input: ({ params, body }) => ({ ...(body as object), ...params }),
  }),
  operationRoute(ops.delete, {
    method: "DELETE",
    path: "/blueprints/custom/{id}",
    tag: "Blueprints",
    summary: "Delete a blueprint of the tenant (BLUEPRINT:DELETE).",
    responses: [
      { status: 204, description: "Deleted." },
      { status: 404, description: "No such blueprint." },
    ],
    output: () => ({}),
  }),
];
