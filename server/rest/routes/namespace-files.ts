// Namespace files on Kestra's paths (NamespaceFileController): content, listing, stats, upload, mkdir, move,
// delete. The path is a query parameter (`?path=/scripts/main.py`), as in Kestra.
import { z } from "zod";
import { namespaceFileOperations as ops } from "../../operations/namespace-files";
import { BadRequestError } from "../../services/errors";
import { type AnyRoute, type InputsBody, operationRoute } from "../route";

export const fileAttributes = z
  .object({
    fileName: z.string(),
    path: z.string(),
    type: z.enum(["File", "Directory"]),
    size: z.number().int(),
    lastModifiedTime: z.number().nullable(),
    creationTime: z.number().nullable(),
  })
  .meta({ id: "FileAttributes", description: "A namespace file or folder (Kestra's FileAttributes)." });

/** `a.py` -> a content type a browser can show; anything unknown is a download. */
function contentType(path: string): string {
  const extension = path.split(".").pop()?.toLowerCase() ?? "";
  const text = ["py", "sh", "js", "ts", "sql", "yml", "yaml", "md", "txt", "csv", "r", "rb", "go"];
  if (extension === "json") return "application/json";
  return text.includes(extension) ? "text/plain; charset=utf-8" : "application/octet-stream";
}

export const namespaceFileRoutes: AnyRoute[] = [
  operationRoute(ops.download, {
    method: "GET",
    path: "/namespaces/{namespace}/files",
    tag: "Namespace files",
    summary: "A namespace file's content (`path=/scripts/main.py`). Needs NAMESPACE:READ.",
    responses: [
      { status: 200, description: "The file's bytes.", contentType: "application/octet-stream" },
      { status: 404, description: "No such file." },
    ],
    output: (file) => {
      const name = file.path.split("/").pop() ?? "file";
      return new Response(file.content as Uint8Array<ArrayBuffer>, {
        status: 200,
        headers: {
          "content-type": contentType(file.path),
          "content-disposition": `inline; filename*=UTF-8''${encodeURIComponent(name)}`,
          "x-content-type-options": "nosniff",
        },
      });
    },
  }),
  operationRoute(ops.stats, {
    method: "GET",
    path: "/namespaces/{namespace}/files/stats",
    tag: "Namespace files",
    summary: "A file's or folder's attributes (the root when `path` is empty). Needs NAMESPACE:READ.",
    responses: [{ status: 200, description: "Its attributes.", schema: fileAttributes }],
  }),
  operationRoute(ops.list, {
    method: "GET",
    path: "/namespaces/{namespace}/files/directory",
    tag: "Namespace files",
    summary:
      "The files and folders directly in a folder (the root when `path` is empty). Needs NAMESPACE:READ.",
    responses: [
      { status: 200, description: "Folders first, then files, by name.", schema: z.array(fileAttributes) },
    ],
  }),
  operationRoute(ops.upload, {
    method: "POST",
    path: "/namespaces/{namespace}/files",
    tag: "Namespace files",
    summary:
      "Upload a file to `path` (multipart/form-data, the file in the `fileContent` field, as Kestra); replaces an existing file. Needs NAMESPACE:UPDATE.",
    inQuery: ["path"],
    body: { kind: "upload", parts: { fileContent: "The file's content." } },
    responses: [{ status: 200, description: "The file's attributes.", schema: fileAttributes }],
    input: ({ params, query, body }) => {
      const form = body as InputsBody;
      const file = form.files.find((f) => f.inputId === "fileContent");
      const text = form.values.fileContent;
      if (!file && typeof text !== "string")
        throw new BadRequestError("Send the file as multipart/form-data in the `fileContent` field.");
      return { ...params, path: query.path, content: file ? file.content : text };
    },
  }),
  operationRoute(ops.mkdir, {
    method: "POST",
    path: "/namespaces/{namespace}/files/directory",
    tag: "Namespace files",
    summary: "Create a folder (and its parents) at `path`. Needs NAMESPACE:UPDATE.",
    responses: [{ status: 200, description: "The folder's attributes.", schema: fileAttributes }],
  }),
  operationRoute(ops.move, {
    method: "PUT",
    path: "/namespaces/{namespace}/files",
    tag: "Namespace files",
    summary: "Move or rename a file or folder (`from`, `to`); 409 when `to` exists. Needs NAMESPACE:UPDATE.",
    responses: [{ status: 204, description: "Moved." }],
    output: () => ({}),
  }),
  operationRoute(ops.delete, {
    method: "DELETE",
    path: "/namespaces/{namespace}/files",
    tag: "Namespace files",
    summary: "Delete a file, or a folder with everything in it. Needs NAMESPACE:UPDATE.",
    responses: [{ status: 204, description: "Deleted." }],
    output: () => ({}),
  }),
];
