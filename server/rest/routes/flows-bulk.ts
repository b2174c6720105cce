// Flows in bulk on Kestra's paths: enable, disable, delete and export by ids or by query, and import.
// Which flows a call may touch is explained in server/services/flows-bulk.ts.
import { z } from "zod";
import { flowBulkOperations as ops } from "../../operations/flows-bulk";
import type { AnyOperation } from "../../operations/operation";
import { BadRequestError } from "../../services/errors";
import { flowId, namespace } from "../../services/schemas";
import { type AnyRoute, type InputsBody, operationRoute } from "../route";
import { labelsAsText } from "../wire";

export const flowRefs = z
  .array(z.object({ namespace, id: flowId }))
  .max(5000)
  .meta({ id: "FlowIds" });
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

/** The JSON body is the list of flows: the operation's `flows`. */
const flowsInBody = ({ body }: { body: unknown }) => ({ flows: body });

function byIds(verb: "enable" | "disable", operation: AnyOperation, summary: string) {
  return operationRoute(operation, {
    method: "POST",
    path: `/flows/${verb}/by-ids`,
    tag: "Flows",
    summary,
    body: { kind: "json", schema: flowRefs },
    responses: [{ status: 200, description: "How many flows changed.", schema: bulkResponse }],
    input: flowsInBody,
  });
}

function byQuery(verb: "enable" | "disable", operation: AnyOperation, summary: string) {
  return operationRoute(operation, {
    method: "POST",
    path: `/flows/${verb}/by-query`,
    tag: "Flows",
    summary,
    overrides: { labels: labelsAsText },
    responses: [{ status: 200, description: "How many flows changed.", schema: bulkResponse }],
  });
}

export const flowBulkRoutes: AnyRoute[] = [
  byIds(
    "enable",
    ops.enableByIds,
    "Enable flows by [{namespace, id}] (a new revision with `disabled: false`). FLOW:UPDATE on each namespace, else 403 and nothing changes.",
  ),
  byIds(
    "disable",
    ops.disableByIds,
    "Disable flows by [{namespace, id}] (a new revision with `disabled: true`). FLOW:UPDATE on each namespace, else 403 and nothing changes.",
  ),
  operationRoute(ops.deleteByIds, {
    method: "DELETE",
    path: "/flows/delete/by-ids",
    tag: "Flows",
    summary:
      "Delete flows by [{namespace, id}]. FLOW:DELETE on each namespace, else 403 and nothing changes.",
    body: { kind: "json", schema: flowRefs },
    responses: [{ status: 200, description: "How many flows were deleted.", schema: bulkResponse }],
    input: flowsInBody,
  }),
  byQuery(
    "enable",
    ops.enableByQuery,
    "Enable the flows a search matches (q, namespace, labels); flows you may not update are skipped.",
  ),
  byQuery(
    "disable",
    ops.disableByQuery,
    "Disable the flows a search matches (q, namespace, labels); flows you may not update are skipped.",
  ),
  operationRoute(ops.deleteByQuery, {
    method: "DELETE",
    path: "/flows/delete/by-query",
    tag: "Flows",
    summary:
      "Delete the flows a search matches (q, namespace, labels); flows you may not delete are skipped.",
    overrides: { labels: labelsAsText },
    responses: [{ status: 200, description: "How many flows were deleted.", schema: bulkResponse }],
  }),
  operationRoute(ops.exportByIds, {
    method: "POST",
    path: "/flows/export/by-ids",
    tag: "Flows",
    summary: "A zip of the named flows' YAML, one `{namespace}.{id}.yml` each. FLOW:READ on each namespace.",
    body: { kind: "json", schema: flowRefs },
    responses: [{ status: 200, description: "The zip.", contentType: "application/octet-stream" }],
    input: flowsInBody,
    output: zipResponse,
  }),
  operationRoute(ops.exportByQuery, {
    method: "GET",
    path: "/flows/export/by-query",
    tag: "Flows",
    summary: "A zip of the YAML of the flows a search matches (q, namespace, labels) that you may read.",
    overrides: { labels: labelsAsText },
    responses: [{ status: 200, description: "The zip.", contentType: "application/octet-stream" }],
    output: zipResponse,
  }),
  operationRoute(ops.import, {
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
    input: ({ body }) => {
      const [file, ...more] = (body as InputsBody).files;
      if (!file || more.length > 0)
        throw new BadRequestError("Send one file as multipart/form-data (field `fileUpload`).");
      return { fileName: file.fileName, content: file.content };
    },
  }),
];
