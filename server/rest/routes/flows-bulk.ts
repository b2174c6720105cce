// Flows in bulk on Kestra's paths: enable, disable, delete and export by ids or by query, and import.
// Which flows a call may touch is explained in server/services/flows-bulk.ts.
import { z } from "zod";
import { BadRequestError } from "../../services/errors";
import {
  type BulkResult,
  deleteFlowsByIds,
  deleteFlowsByQuery,
  disableFlowsByIds,
  disableFlowsByQuery,
  enableFlowsByIds,
  enableFlowsByQuery,
  exportFlowsByIds,
  exportFlowsByQuery,
  type FlowQuery,
  type FlowRef,
  importFlows,
} from "../../services/flows-bulk";
import { flowId, labelText, namespace, repeated } from "../../services/schemas";
import type { ServiceScope } from "../../services/scope";
import { type AnyRoute, defineRoute, type InputsBody } from "../route";

export const flowRefs = z
  .array(z.object({ namespace, id: flowId }))
  .max(5000)
  .meta({ id: "FlowIds" });
export const flowQuery = z.object({
  q: z.string().max(200).optional(),
  namespace: namespace.optional(),
  labels: repeated(labelText).meta({ description: "key:value, repeatable." }),
});
const bulkResponse = z.object({ count: z.number().int() }).meta({ id: "BulkResponse" });
const importResult = z
  .object({
    index: z.number().int(),
    file: z.string(),
    namespace: z.string().optional(),
    id: z.string().optional(),
    status: z.enum(["CREATED", "UPDATED", "UNCHANGED", "INVALID", "FORBIDDEN"]),
    revision: z.number().int().optional(),
    error: z.string().optional(),
  })
  .meta({ id: "FlowImportResult" });

const zipResponse = (zip: Uint8Array) =>
  new Response(zip as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: {
      "content-type": "application/octet-stream",
      "content-disposition": 'attachment; filename="flows.zip"',
    },
  });

function byIds(
  verb: "enable" | "disable",
  method: "POST",
  run: (scope: ServiceScope, refs: FlowRef[]) => Promise<BulkResult>,
  summary: string,
) {
  return defineRoute({
    method,
    path: `/flows/${verb}/by-ids`,
    tag: "Flows",
    summary,
    body: { kind: "json", schema: flowRefs },
    responses: [{ status: 200, description: "How many flows changed.", schema: bulkResponse }],
    handler: async ({ scope, body }) => ({ body: await run(scope, body as FlowRef[]) }),
  });
}

function byQuery(
  verb: "enable" | "disable",
  run: (scope: ServiceScope, query: FlowQuery) => Promise<BulkResult>,
  summary: string,
) {
  return defineRoute({
    method: "POST",
    path: `/flows/${verb}/by-query`,
    tag: "Flows",
    summary,
    query: flowQuery,
    responses: [{ status: 200, description: "How many flows changed.", schema: bulkResponse }],
    handler: async ({ scope, query }) => ({ body: await run(scope, query as FlowQuery) }),
  });
}

export const flowBulkRoutes: AnyRoute[] = [
  byIds(
    "enable",
    "POST",
    enableFlowsByIds,
    "Enable flows by [{namespace, id}] (a new revision with `disabled: false`). FLOW:UPDATE on each namespace, else 403 and nothing changes.",
  ),
  byIds(
    "disable",
    "POST",
    disableFlowsByIds,
    "Disable flows by [{namespace, id}] (a new revision with `disabled: true`). FLOW:UPDATE on each namespace, else 403 and nothing changes.",
  ),
  defineRoute({
    method: "DELETE",
    path: "/flows/delete/by-ids",
    tag: "Flows",
    summary:
      "Delete flows by [{namespace, id}]. FLOW:DELETE on each namespace, else 403 and nothing changes.",
    body: { kind: "json", schema: flowRefs },
    responses: [{ status: 200, description: "How many flows were deleted.", schema: bulkResponse }],
    handler: async ({ scope, body }) => ({ body: await deleteFlowsByIds(scope, body as FlowRef[]) }),
  }),
  byQuery(
    "enable",
    enableFlowsByQuery,
    "Enable the flows a search matches (q, namespace, labels); flows you may not update are skipped.",
  ),
  byQuery(
    "disable",
    disableFlowsByQuery,
    "Disable the flows a search matches (q, namespace, labels); flows you may not update are skipped.",
  ),
  defineRoute({
    method: "DELETE",
    path: "/flows/delete/by-query",
    tag: "Flows",
    summary:
      "Delete the flows a search matches (q, namespace, labels); flows you may not delete are skipped.",
    query: flowQuery,
    responses: [{ status: 200, description: "How many flows were deleted.", schema: bulkResponse }],
    handler: async ({ scope, query }) => ({ body: await deleteFlowsByQuery(scope, query as FlowQuery) }),
  }),
  defineRoute({
    method: "POST",
    path: "/flows/export/by-ids",
    tag: "Flows",
    summary: "A zip of the named flows' YAML, one `{namespace}.{id}.yml` each. FLOW:READ on each namespace.",
    body: { kind: "json", schema: flowRefs },
    responses: [{ status: 200, description: "The zip.", contentType: "application/octet-stream" }],
    handler: async ({ scope, body }) => zipResponse(await exportFlowsByIds(scope, body as FlowRef[])),
  }),
  defineRoute({
    method: "GET",
    path: "/flows/export/by-query",
    tag: "Flows",
    summary: "A zip of the YAML of the flows a search matches (q, namespace, labels) that you may read.",
    query: flowQuery,
    responses: [{ status: 200, description: "The zip.", contentType: "application/octet-stream" }],
    handler: async ({ scope, query }) => zipResponse(await exportFlowsByQuery(scope, query as FlowQuery)),
  }),
  defineRoute({
    method: "POST",
    path: "/flows/import",
    tag: "Flows",
    summary:
      "Import flows (multipart/form-data, one file: .yml/.yaml with one or more `---` documents, or a .zip of them). Valid documents are saved, invalid or forbidden ones reported.",
    body: {
      kind: "upload",
      parts: { fileUpload: "A .yml/.yaml file (one or more `---` documents) or a .zip of them." },
    },
    responses: [{ status: 200, description: "One result per document.", schema: z.array(importResult) }],
    handler: async ({ scope, body, limits }) => {
      const form = body as InputsBody;
      const [file, ...more] = form.files;
      if (!file || more.length > 0)
        throw new BadRequestError("Send one file as multipart/form-data (field `fileUpload`).");
      return {
        body: await importFlows(
          scope,
          { fileName: file.fileName, content: file.content },
          limits.importBytes,
        ),
      };
    },
  }),
];
