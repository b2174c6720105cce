// An execution's files in the tenant's internal storage (Kestra's `GET /executions/{id}/file?path=` and
// `/file/preview`): only URIs under the execution's own storage prefix, to a reader with EXECUTION:READ
// on its namespace. The preview is what the execution page shows: text (CSV and JSON included) cut at a
// size, an image as a data URL, anything else as "binary".
import { executionStoragePrefix } from "@/engine/plugin/storage-layout";
import { BadRequestError, NotFoundError } from "./errors";
import { readExecution } from "./executions";
import type { ServiceScope } from "./scope";

export const PREVIEW_MAX_BYTES = 256 * 1024;

const IMAGES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};
const TEXT = new Set([
  "txt",
  "csv",
  "json",
  "ion",
  "log",
  "md",
  "yml",
  "yaml",
  "xml",
  "tsv",
  "sql",
  "py",
  "sh",
  "html",
  "js",
  "ts",
]);

export interface ExecutionFile {
  name: string;
  extension: string;
  content: Uint8Array;
}

export async function readExecutionFile(
  scope: ServiceScope,
  id: string,
  path: string,
): Promise<ExecutionFile> {
  const execution = await readExecution(scope, id); // EXECUTION:READ on its namespace, 404 elsewhere
  const prefix = executionStoragePrefix(execution.namespace, execution.flowId, execution.id);
  if (!path.startsWith(prefix) || path.split("/").some((part) => part === ".." || part === "."))
    throw new BadRequestError(`The file ${path} is not one of execution ${id}'s files.`);
  const storage = (await scope.engine()).ctx.storage(scope.tenant.id);
  if (!(await storage.exists(path))) throw new NotFoundError(`No file ${path} in execution ${id}.`);
  const name = path.split("/").pop() ?? "file";
  const dot = name.lastIndexOf(".");
  return {
    name,
    extension: dot > 0 ? name.slice(dot + 1).toLowerCase() : "",
    content: await storage.get(path),
  };
}

export function contentTypeOf(extension: string): string {
  if (IMAGES[extension]) return IMAGES[extension] as string;
  if (extension === "json") return "application/json";
  if (extension === "csv") return "text/csv; charset=utf-8";
  return TEXT.has(extension) ? "text/plain; charset=utf-8" : "application/octet-stream";
}

export interface FilePreview {
  name: string;
  extension: string;
  type: "TEXT" | "IMAGE" | "BINARY";
  /** Text, or a data URL for an image; absent for binary files. */
  content?: string;
  size: number;
  truncated: boolean;
}

export async function previewExecutionFile(
  scope: ServiceScope,
  id: string,
  path: string,
): Promise<FilePreview> {
  const file = await readExecutionFile(scope, id, path);
  const base = { name: file.name, extension: file.extension, size: file.content.byteLength };
  const image = IMAGES[file.extension];
  if (image) {
    if (file.content.byteLength > 4 * PREVIEW_MAX_BYTES) return { ...base, type: "BINARY", truncated: true };
    return {
      ...base,
      type: "IMAGE",
      content: `data:${image};base64,${Buffer.from(file.content).toString("base64")}`,
      truncated: false,
    };
  }
  const head = file.content.subarray(0, PREVIEW_MAX_BYTES);
  const looksText = TEXT.has(file.extension) || !head.includes(0);
  if (!looksText) return { ...base, type: "BINARY", truncated: false };
  return {
    ...base,
    type: "TEXT",
    content: new TextDecoder("utf-8", { fatal: false }).decode(head),
    truncated: file.content.byteLength > PREVIEW_MAX_BYTES,
  };
}
