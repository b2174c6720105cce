// A namespace's files (Kestra's namespace files): read, list, upload, create folders, move, delete. They live
// in the tenant's internal storage under `kestra:///{namespace as path}/_files/`, exactly where the engine's
// script tasks (`namespaceFiles.enabled`) and core.namespace.* tasks read and write them.
//
// Permissions: NAMESPACE:READ to read or list, NAMESPACE:UPDATE to write, move or delete (Kestra OSS has no
// finer grant; its EE checks NAMESPACE too). Paths are relative to the namespace's files (`/scripts/a.py`);
// `..` is refused (400). The storage holds files only: an empty folder is kept by a marker file that no
// listing, script or task ever sees (DIRECTORY_MARKER).
import type { FileStorage } from "@/engine/plugin";
import {
  canHoldFiles,
  DIRECTORY_MARKER,
  namespaceFilesPrefix,
  normalizeNamespacePath,
} from "@/plugins/core/namespace/files";
import { BadRequestError, ConflictError, NotFoundError } from "./errors";
import { audit, type ServiceScope } from "./scope";

/** Kestra's FileAttributes. Times are epoch milliseconds; null for folders and storages that keep no dates. */
export interface FileAttributes {
  fileName: string;
  /** The full path inside the namespace's files, with a leading `/`. */
  path: string;
  type: "File" | "Directory";
  size: number;
  lastModifiedTime: number | null;
  creationTime: number | null;
}

/** Text shown in the editor is limited; bigger files are downloaded. */
export const MAX_EDITABLE_BYTES = 2 * 1024 * 1024;

const encodeSegment = (segment: string) => encodeURIComponent(segment).replace(/%20/g, "+");
const decodeSegment = (segment: string) => decodeURIComponent(segment.replace(/\+/g, "%20"));

/**
 * A stored name is one file name on a local storage (most filesystems: 255 bytes) once encoded, and a whole
 * key stays well inside S3's 1,024 bytes with its tenant and namespace prefix.
 */
const MAX_STORED_SEGMENT = 255;
const MAX_STORED_PATH = 768;

/**
 * `scripts/a.py` from `/scripts/a.py`, `scripts//a.py`...; 400 for `..`, NUL, (unless allowed) the root, or
 * a name too long to store.
 */
export function cleanPath(path: string | undefined, options: { allowRoot?: boolean } = {}): string {
  const raw = path ?? "";
  const segments = raw
    .replace(/\\/g, "/")
    .split("/")
    .filter((s) => s !== "" && s !== ".");
  if (segments.length === 0) {
    if (options.allowRoot) return "";
    throw new BadRequestError("Give a file path, e.g. `path=/scripts/main.py`.");
  }
  try {
    const clean = normalizeNamespacePath(raw);
    if (clean.split("/").includes(DIRECTORY_MARKER))
      throw new Error(`'${DIRECTORY_MARKER}' is a reserved name`);
    const stored = clean.split("/").map(encodeSegment);
    if (stored.some((segment) => segment.length > MAX_STORED_SEGMENT))
      throw new Error(`a file or folder name is at most ${MAX_STORED_SEGMENT} bytes (URL-encoded)`);
    if (stored.join("/").length > MAX_STORED_PATH)
      throw new Error(`a path is at most ${MAX_STORED_PATH} bytes (URL-encoded)`);
    return clean;
  } catch (error) {
    throw new BadRequestError(`Invalid path '${raw}': ${(error as Error).message}.`);
  }
}

interface Files {
  storage: FileStorage;
  prefix: string;
  uri(path: string): string;
  /** Every stored path (markers included), relative to the namespace's files. */
  all(): Promise<string[]>;
}

async function files(scope: ServiceScope, namespace: string): Promise<Files> {
  // Found by the REST fuzz test: `a-.` passes the namespace pattern but has no folder in the storage.
  if (!canHoldFiles(namespace))
    throw new BadRequestError(
      `Namespace '${namespace}' cannot hold files: each of its dot-separated parts must be non-empty.`,
    );
  const storage = (await scope.engine()).ctx.storage(scope.tenant.id);
  const prefix = namespaceFilesPrefix(namespace);
  return {
    storage,
    prefix,
    uri: (path) => prefix + path.split("/").map(encodeSegment).join("/"),
    all: async () =>
      (await storage.list(prefix)).map((uri) =>
        uri.slice(prefix.length).split("/").map(decodeSegment).join("/"),
      ),
  };
}

const isMarker = (path: string) => path === DIRECTORY_MARKER || path.endsWith(`/${DIRECTORY_MARKER}`);
const under = (dir: string, path: string) => dir === "" || path.startsWith(`${dir}/`);
const display = (path: string) => `/${path}`;

async function isDirectory(f: Files, path: string): Promise<boolean> {
  if (path === "") return true;
  return (await f.all()).some((p) => p.startsWith(`${path}/`));
}

/** A stored file's attributes (its storage's last write time when the storage keeps one). */
async function fileAttributes(f: Files, path: string): Promise<FileAttributes> {
  const modified = (await f.storage.modified?.(f.uri(path)))?.getTime() ?? null;
  return {
    fileName: path.split("/").pop() ?? path,
    path: display(path),
    type: "File",
    size: await f.storage.size(f.uri(path)),
    lastModifiedTime: modified,
    creationTime: null,
  };
}

async function attributes(f: Files, path: string): Promise<FileAttributes | undefined> {
  const name = path.split("/").pop() ?? "";
  if (path !== "" && (await f.storage.exists(f.uri(path)))) return fileAttributes(f, path);
  if (await isDirectory(f, path))
    return {
      fileName: name,
      path: display(path),
      type: "Directory",
      size: 0,
      lastModifiedTime: null,
      creationTime: null,
    };
  return undefined;
}

/** Kestra's GET /namespaces/{ns}/files/stats. */
export async function namespaceFileStats(
  scope: ServiceScope,
  namespace: string,
  path: string | undefined,
): Promise<FileAttributes> {
  const clean = cleanPath(path, { allowRoot: true });
  const found = await attributes(await files(scope, namespace), clean);
  if (!found) throw new NotFoundError(`No file or folder '${display(clean)}' in namespace ${namespace}.`);
  return found;
}

/** The direct children of a folder (the root when `path` is empty), folders first, then by name. */
export async function listNamespaceDirectory(
  scope: ServiceScope,
  namespace: string,
  path: string | undefined,
): Promise<FileAttributes[]> {
  const dir = cleanPath(path, { allowRoot: true });
  const f = await files(scope, namespace);
  const all = await f.all();
  if (dir !== "" && !all.some((p) => under(dir, p))) {
    if (all.includes(dir)) throw new BadRequestError(`'${display(dir)}' is a file, not a folder.`);
    throw new NotFoundError(`No folder '${display(dir)}' in namespace ${namespace}.`);
  }
  const children = new Map<string, FileAttributes>();
  for (const p of all) {
    if (!under(dir, p)) continue;
    const rest = dir === "" ? p : p.slice(dir.length + 1);
    const [first, ...deeper] = rest.split("/");
    if (!first || first === DIRECTORY_MARKER) continue;
    const full = dir === "" ? first : `${dir}/${first}`;
    if (deeper.length > 0)
      children.set(first, {
        fileName: first,
        path: display(full),
        type: "Directory",
        size: 0,
        lastModifiedTime: null,
        creationTime: null,
      });
    else if (!children.has(first)) children.set(first, await fileAttributes(f, full));
  }
  return [...children.values()].sort((a, b) =>
    a.type === b.type ? a.fileName.localeCompare(b.fileName) : a.type === "Directory" ? -1 : 1,
  );
}

/** A file's bytes. */
export async function readNamespaceFile(
  scope: ServiceScope,
  namespace: string,
  path: string | undefined,
): Promise<{ path: string; content: Uint8Array }> {
  const clean = cleanPath(path);
  const f = await files(scope, namespace);
  if (!(await f.storage.exists(f.uri(clean))))
    throw new NotFoundError(`No file '${display(clean)}' in namespace ${namespace}.`);
  return { path: display(clean), content: await f.storage.get(f.uri(clean)) };
}

/** Creates or replaces a file (its folders appear with it). */
export async function writeNamespaceFile(
  scope: ServiceScope,
  namespace: string,
  path: string | undefined,
  content: Uint8Array | string,
): Promise<FileAttributes> {
  const clean = cleanPath(path);
  const f = await files(scope, namespace);
  if (await isDirectory(f, clean))
    throw new ConflictError(`'${display(clean)}' is a folder: a file cannot replace it.`);
  const parents = clean.split("/").slice(0, -1);
  for (let i = 1; i <= parents.length; i++) {
    const parent = parents.slice(0, i).join("/");
    if (await f.storage.exists(f.uri(parent)))
      throw new ConflictError(`'${display(parent)}' is a file: it cannot hold '${display(clean)}'.`);
  }
  const existed = await f.storage.exists(f.uri(clean));
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  await ensureNamespace(scope, namespace);
  await f.storage.put(f.uri(clean), bytes);
  const saved = await fileAttributes(f, clean);
  await audit(scope, {
    action: existed ? "UPDATE" : "CREATE",
    resourceType: "NAMESPACE_FILE",
    resourceId: display(clean),
    namespace,
    after: { size: bytes.byteLength },
  });
  return saved;
}

/** Creates a folder (and its parents); nothing happens when it exists. */
export async function createNamespaceDirectory(
  scope: ServiceScope,
  namespace: string,
  path: string | undefined,
): Promise<FileAttributes> {
  const clean = cleanPath(path);
  const f = await files(scope, namespace);
  const segments = clean.split("/");
  for (let i = 1; i <= segments.length; i++) {
    const part = segments.slice(0, i).join("/");
    if (await f.storage.exists(f.uri(part)))
      throw new ConflictError(`'${display(part)}' is a file: it cannot be a folder.`);
  }
  if (!(await isDirectory(f, clean))) {
    await ensureNamespace(scope, namespace);
    await f.storage.put(f.uri(`${clean}/${DIRECTORY_MARKER}`), new Uint8Array());
    await audit(scope, {
      action: "CREATE",
      resourceType: "NAMESPACE_FILE",
      resourceId: `${display(clean)}/`,
      namespace,
      after: { type: "Directory" },
    });
  }
  return {
    fileName: segments[segments.length - 1] ?? clean,
    path: display(clean),
    type: "Directory",
    size: 0,
    lastModifiedTime: null,
    creationTime: null,
  };
}

/** Moves or renames a file or a whole folder; 409 when the target exists. */
export async function moveNamespaceFile(
  scope: ServiceScope,
  namespace: string,
  from: string | undefined,
  to: string | undefined,
): Promise<void> {
  const source = cleanPath(from);
  const target = cleanPath(to);
  if (source === target) return;
  if (target.startsWith(`${source}/`))
    throw new BadRequestError(
      `A folder cannot move into itself ('${display(source)}' to '${display(target)}').`,
    );
  const f = await files(scope, namespace);
  if (await attributes(f, target))
    throw new ConflictError(`'${display(target)}' exists already in namespace ${namespace}.`);
  const moves: [string, string][] = [];
  if (await f.storage.exists(f.uri(source))) moves.push([source, target]);
  else
    for (const p of await f.all())
      if (p.startsWith(`${source}/`)) moves.push([p, `${target}${p.slice(source.length)}`]);
  if (moves.length === 0)
    throw new NotFoundError(`No file or folder '${display(source)}' in namespace ${namespace}.`);
  // Copy everything first, then delete: an interrupted move leaves a copy, never a loss.
  for (const [a, b] of moves) await f.storage.put(f.uri(b), await f.storage.get(f.uri(a)));
  for (const [a] of moves) await f.storage.delete(f.uri(a));
  await audit(scope, {
    action: "UPDATE",
    resourceType: "NAMESPACE_FILE",
    resourceId: display(target),
    namespace,
    before: { path: display(source) },
    after: { path: display(target), files: moves.filter(([a]) => !isMarker(a)).length },
  });
}

/** Deletes a file, or a folder with everything in it. */
export async function deleteNamespaceFile(
  scope: ServiceScope,
  namespace: string,
  path: string | undefined,
): Promise<void> {
  const clean = cleanPath(path);
  const f = await files(scope, namespace);
  const doomed = (await f.storage.exists(f.uri(clean)))
    ? [clean]
    : (await f.all()).filter((p) => p.startsWith(`${clean}/`));
  if (doomed.length === 0)
    throw new NotFoundError(`No file or folder '${display(clean)}' in namespace ${namespace}.`);
  for (const p of doomed) await f.storage.delete(f.uri(p));
  await audit(scope, {
    action: "DELETE",
    resourceType: "NAMESPACE_FILE",
    resourceId: display(clean),
    namespace,
    before: { files: doomed.filter((p) => !isMarker(p)).length },
  });
}

/** Namespaces appear as they are used, as when a flow is saved in one. */
async function ensureNamespace(scope: ServiceScope, namespace: string): Promise<void> {
  await scope.db.namespace.upsert({
    where: { tenantId_name: { tenantId: scope.tenant.id, name: namespace } },
    create: { tenantId: scope.tenant.id, name: namespace },
    update: {},
  });
}
