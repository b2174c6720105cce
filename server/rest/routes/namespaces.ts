import { z } from "zod";
import { parseDuration } from "@/engine/util/duration";
import { parseJson } from "../../input-limits";
import { namespaceOperations as ops } from "../../operations/namespaces";
import { MAX_SECRET_BYTES } from "../../secrets/service";
import { BadRequestError } from "../../services/errors";
import { allowedNamespaces, namespace, secretName } from "../../services/schemas";
import { type AnyRoute, operationRoute } from "../route";

const namespaceJson = z
  .object({
    id: z.string(),
    description: z.string().nullable(),
    allowedNamespaces: z.array(z.string()),
    created: z.string(),
  })
  .meta({ id: "Namespace" });
const kvEntry = z
  .object({
    key: z.string(),
    type: z.string().nullable(),
    description: z.string().nullable(),
    expirationDate: z.string().nullable(),
    creationDate: z.string(),
    updateDate: z.string(),
  })
  .meta({ id: "KvEntry" });
const secretInfo = z
  .object({ key: z.string(), namespace: z.string(), description: z.string().nullable(), updated: z.string() })
  .meta({ id: "Secret", description: "A secret's name and where it is: never its value." });

const secretValue = z.string().refine((value) => Buffer.byteLength(value, "utf8") <= MAX_SECRET_BYTES, {
  error: `a secret value is at most ${MAX_SECRET_BYTES} bytes`,
});

/** A KV value from a request: JSON when sent as JSON, else the text as a string. */
function kvValue(request: Request, text: string): unknown {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type === "application/json") return parseJson(text, "The body");
  return text;
}

export const namespaceRoutes: AnyRoute[] = [
  operationRoute(ops.list, {
    method: "GET",
    path: "/namespaces/search",
    tag: "Namespaces",
    summary: "Namespaces of the tenant (those you may read).",
    responses: [{ status: 200, description: "The namespaces.", schema: z.array(namespaceJson) }],
  }),
  operationRoute(ops.create, {
    method: "POST",
    path: "/namespaces",
    tag: "Namespaces",
    summary: "Create a namespace ahead of its flows, with a description.",
    body: { kind: "json", schema: z.object({ id: namespace, description: z.string().max(1000).optional() }) },
    responses: [{ status: 201, description: "Created.", schema: namespaceJson }],
    input: ({ body }) => {
      const { id, ...rest } = body as { id: string; description?: string };
      return { namespace: id, ...rest };
    },
    output: (created) => ({ status: 201, body: created }),
  }),
  operationRoute(ops.get, {
    method: "GET",
    path: "/namespaces/{namespace}",
    tag: "Namespaces",
    summary: "A namespace.",
    responses: [{ status: 200, description: "The namespace.", schema: namespaceJson }],
  }),
  operationRoute(ops.delete, {
    method: "DELETE",
    path: "/namespaces/{namespace}",
    tag: "Namespaces",
    summary: "Delete an empty namespace (409 while it holds flows, KV entries or secrets).",
    responses: [{ status: 204, description: "Deleted." }],
  }),
  operationRoute(ops.setAllowedNamespaces, {
    method: "PUT",
    path: "/namespaces/{namespace}/allowed-namespaces",
    tag: "Namespaces",
    summary:
      "Set which namespaces' flows may reach this one (its KV, logs, executions, files, subflows, Flow triggers) besides itself and its descendants; `*` allows all. Needs NAMESPACE:UPDATE on this namespace.",
    body: { kind: "json", schema: z.object({ allowedNamespaces }) },
    responses: [{ status: 200, description: "The namespace.", schema: namespaceJson }],
    input: ({ params, body }) => ({ ...params, ...(body as object) }),
  }),
  operationRoute(ops.kv, {
    method: "GET",
    path: "/namespaces/{namespace}/kv",
    tag: "KV store",
    summary: "The keys of a namespace's KV store, with their type and expiry.",
    responses: [{ status: 200, description: "The entries (without values).", schema: z.array(kvEntry) }],
  }),
  operationRoute(ops.kvGet, {
    method: "GET",
    path: "/namespaces/{namespace}/kv/{key}",
    tag: "KV store",
    summary: "A KV value: { type, value }.",
    responses: [
      {
        status: 200,
        description: "The value and its type.",
        schema: z.object({ type: z.string(), value: z.unknown() }),
      },
    ],
  }),
  operationRoute(ops.kvSet, {
    method: "PUT",
    path: "/namespaces/{namespace}/kv/{key}",
    tag: "KV store",
    summary:
      "Set a KV value: the body as JSON (Content-Type: application/json) or as a string. Optional `ttl` header or query (ISO-8601 duration, e.g. PT1H).",
    query: z.object({
      ttl: z.string().max(50).optional().meta({
        description: "How long the entry lives: an ISO-8601 duration (e.g. PT1H), or the `ttl` header.",
      }),
    }),
    inQuery: ["description"],
    body: { kind: "text" },
    responses: [{ status: 200, description: "The entry.", schema: kvEntry }],
    input: ({ params, query, body, request }) => {
      const ttlText = query.ttl ?? request.headers.get("ttl") ?? undefined;
      const ttlMs = ttlText !== undefined ? parseDuration(ttlText) : undefined;
      if (ttlText !== undefined && (ttlMs === undefined || ttlMs <= 0))
        throw new BadRequestError(`ttl '${ttlText}' is not a positive ISO-8601 duration (e.g. PT1H, P1D).`);
      const type = request.headers.get("kv-type")?.toUpperCase();
      return {
        ...params,
        value: kvValue(request, body as string),
        ...(ttlMs !== undefined ? { ttlMs } : {}),
        ...(query.description !== undefined ? { description: query.description } : {}),
        ...(type ? { type } : {}),
      };
    },
  }),
  operationRoute(ops.kvDelete, {
    method: "DELETE",
    path: "/namespaces/{namespace}/kv/{key}",
    tag: "KV store",
    summary: "Delete a KV entry.",
    responses: [{ status: 204, description: "Deleted." }],
  }),
  operationRoute(ops.secrets, {
    method: "GET",
    path: "/namespaces/{namespace}/secrets",
    tag: "Secrets",
    summary: "The names of a namespace's secrets (values are never returned).",
    responses: [{ status: 200, description: "Names and descriptions.", schema: z.array(secretInfo) }],
  }),
  operationRoute(ops.inheritedSecrets, {
    method: "GET",
    path: "/namespaces/{namespace}/inherited-secrets",
    tag: "Secrets",
    summary: "The secret names secret() sees from this namespace: its own and its parents' (nearest wins).",
    responses: [
      { status: 200, description: "Names and the namespace each comes from.", schema: z.array(secretInfo) },
    ],
  }),
  operationRoute(ops.secretSet, {
    method: "PUT",
    path: "/namespaces/{namespace}/secrets/{key}",
    tag: "Secrets",
    summary:
      "Set a secret: { value, description? }. Stored encrypted (AES-256-GCM); the answer has no value.",
    body: {
      kind: "json",
      schema: z.object({ value: secretValue, description: z.string().max(1000).optional() }),
    },
    responses: [{ status: 200, description: "The secret's name.", schema: secretInfo }],
    input: ({ params, body }) => ({ ...params, ...(body as object) }),
  }),
  operationRoute(ops.secretSet, {
    method: "POST",
    path: "/namespaces/{namespace}/secrets",
    tag: "Secrets",
    summary: "Set a secret: { key, value, description? } (Kestra EE's shape).",
    body: {
      kind: "json",
      schema: z.object({ key: secretName, value: secretValue, description: z.string().max(1000).optional() }),
    },
    responses: [{ status: 200, description: "The secret's name.", schema: secretInfo }],
    input: ({ params, body }) => ({ ...params, ...(body as object) }),
  }),
  operationRoute(ops.secretDelete, {
    method: "DELETE",
    path: "/namespaces/{namespace}/secrets/{key}",
    tag: "Secrets",
    summary: "Delete a secret.",
    responses: [{ status: 204, description: "Deleted." }],
  }),
];
