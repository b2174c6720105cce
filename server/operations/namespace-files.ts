// Namespace files: list, stats, read, write, mkdir, move, delete. The path is optional in the input, as
// Kestra's `?path=` is: the service answers a missing one with a clear 400 where the root will not do.
import { z } from "zod";
import {
  createNamespaceDirectory,
  deleteNamespaceFile,
  listNamespaceDirectory,
  MAX_EDITABLE_BYTES,
  moveNamespaceFile,
  namespaceFileStats,
  readNamespaceFile,
  writeNamespaceFile,
} from "../services/namespace-files";
import { namespace } from "../services/schemas";
import { defineOperation, fromInput } from "./operation";

const filePath = z.string().max(1024);
const atPath = z.object({ namespace, path: filePath.optional() });
const onNamespace = fromInput<{ namespace: string }>("namespace");
const read = { resource: "NAMESPACE", action: "READ", namespace: onNamespace } as const;
const update = { resource: "NAMESPACE", action: "UPDATE", namespace: onNamespace } as const;

/** The file as text for the editor; `binary` (and no content) when it is not UTF-8 or too big. */
function asText(file: { path: string; content: Uint8Array }) {
  const size = file.content.byteLength;
  if (size > MAX_EDITABLE_BYTES) return { path: file.path, size, binary: true, content: null };
  try {
    const content = new TextDecoder("utf-8", { fatal: true }).decode(file.content);
    if (content.includes("\u0000")) throw new Error("binary");
    return { path: file.path, size, binary: false, content };
  } catch {
    return { path: file.path, size, binary: true, content: null };
  }
}

export const namespaceFileOperations = {
  list: defineOperation({
    name: "namespaceFiles.list",
    kind: "query",
    input: atPath,
    permission: read,
    run: (scope, input) => listNamespaceDirectory(scope, input.namespace, input.path),
  }),
  stats: defineOperation({
    name: "namespaceFiles.stats",
    kind: "query",
    input: atPath,
    permission: read,
    run: (scope, input) => namespaceFileStats(scope, input.namespace, input.path),
  }),
  /** For the editor: the content as text (or `binary`). */
  read: defineOperation({
    name: "namespaceFiles.read",
    kind: "query",
    input: atPath,
    permission: read,
    run: async (scope, input) => asText(await readNamespaceFile(scope, input.namespace, input.path)),
  }),
  /** The bytes, for REST's download. */
  download: defineOperation({
    name: "namespaceFiles.download",
    kind: "query",
    input: atPath,
    permission: read,
    run: (scope, input) => readNamespaceFile(scope, input.namespace, input.path),
  }),
  /** From the editor: text, at most what it edits. */
  write: defineOperation({
    name: "namespaceFiles.write",
    kind: "mutation",
    audit: { resourceType: "NAMESPACE_FILE", actions: ["CREATE", "UPDATE"] },
    input: atPath.extend({ content: z.string().max(MAX_EDITABLE_BYTES) }),
    permission: update,
    run: (scope, input) => writeNamespaceFile(scope, input.namespace, input.path, input.content),
  }),
  /** REST's upload: bytes (or a text field), bounded by the upload limit the transport applied. */
  upload: defineOperation({
    name: "namespaceFiles.upload",
    kind: "mutation",
    audit: { resourceType: "NAMESPACE_FILE", actions: ["CREATE", "UPDATE"] },
    input: atPath.extend({ content: z.union([z.string(), z.instanceof(Uint8Array)]) }),
    permission: update,
    run: (scope, input) => writeNamespaceFile(scope, input.namespace, input.path, input.content),
  }),
  mkdir: defineOperation({
    name: "namespaceFiles.mkdir",
    kind: "mutation",
    audit: { resourceType: "NAMESPACE_FILE", actions: ["CREATE"] },
    input: atPath,
    permission: update,
    run: (scope, input) => createNamespaceDirectory(scope, input.namespace, input.path),
  }),
  move: defineOperation({
    name: "namespaceFiles.move",
    kind: "mutation",
    audit: { resourceType: "NAMESPACE_FILE", actions: ["UPDATE"] },
    input: z.object({ namespace, from: filePath, to: filePath }),
    permission: update,
    run: (scope, input) => moveNamespaceFile(scope, input.namespace, input.from, input.to),
  }),
  delete: defineOperation({
    name: "namespaceFiles.delete",
    kind: "mutation",
    audit: { resourceType: "NAMESPACE_FILE", actions: ["DELETE"] },
    input: atPath,
    permission: update,
    run: (scope, input) => deleteNamespaceFile(scope, input.namespace, input.path),
  }),
};
