import type { FileStorage, TaskRunContext } from "@/engine/plugin";

/**
 * Whether a namespace's files have a place in the storage: each dot-separated part non-empty. A flow's
 * namespace may still end with a dot (Kestra's pattern allows it), but `a.` has no folder of its own.
 */
export function canHoldFiles(namespace: string): boolean {
  return /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(namespace);
}

/**
 * Namespace files live in the internal storage under `kestra:///{namespace as path}/_files/` (Kestra's
 * StorageContext), each path segment URI-encoded.
 */
export function namespaceFilesPrefix(namespace: string): string {
  if (!canHoldFiles(namespace)) throw new Error(`'${namespace}' is not a valid namespace`);
  return `kestra:///${namespace.split(".").join("/")}/_files/`;
}

/**
 * A namespace file path as written in a flow (`/scripts/main.py`, `scripts/main.py`) in its canonical form
 * (`scripts/main.py`). Refuses paths that would leave the namespace's files.
 */
export function normalizeNamespacePath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.replace(/\\/g, "/").split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") throw new Error(`namespace file path '${path}' may not contain '..'`);
    if (segment.includes("\0")) throw new Error(`namespace file path '${path}' is not valid`);
    segments.push(segment);
  }
  if (segments.length === 0) throw new Error(`'${path}' is not a file path`);
  return segments.join("/");
}

const encodeSegment = (segment: string) => encodeURIComponent(segment).replace(/%20/g, "+");
const decodeSegment = (segment: string) => decodeURIComponent(segment.replace(/\+/g, "%20"));

export function namespaceFileUri(namespace: string, path: string): string {
  return (
    namespaceFilesPrefix(namespace) + normalizeNamespacePath(path).split("/").map(encodeSegment).join("/")
  );
}

/**
 * An empty file that keeps an otherwise empty folder (the internal storage has files only, like S3). Created
 * by the namespace files API's mkdir; never listed as a namespace file, so scripts never receive it.
 */
export const DIRECTORY_MARKER = ".cadenza-directory";

export interface NamespaceFile {
  /** The path inside the namespace's files, without a leading `/`. */
  path: string;
  uri: string;
}

/** Every file of a namespace (not of its children), by path. */
export async function listNamespaceFiles(storage: FileStorage, namespace: string): Promise<NamespaceFile[]> {
  const prefix = namespaceFilesPrefix(namespace);
  return (await storage.list(prefix))
    .map((uri) => ({ uri, path: uri.slice(prefix.length).split("/").map(decodeSegment).join("/") }))
    .filter((file) => file.path !== DIRECTORY_MARKER && !file.path.endsWith(`/${DIRECTORY_MARKER}`));
}

/** The internal storage, or a clear failure when the driver provides none. */
export function requireNamespaceStorage(ctx: TaskRunContext<unknown>, type: string): FileStorage {
  const storage = ctx.services.storage;
  if (!storage) throw new Error(`${type} needs the internal storage, which this engine does not provide`);
  return storage;
}
