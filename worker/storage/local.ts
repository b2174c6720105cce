import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { chmod, lstat, mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FileStorage } from "@/engine/plugin";

const SCHEME = "kestra://";
/** Files being written (renamed into place when complete); never listed. */
const PART_PREFIX = ".cadenza-part-";
const PART = /^\.cadenza-part-[0-9a-f]{12}$/;
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * The path segments of a `kestra:///a/b/c` URI. Segments are kept as written (no decoding: a `%2F` stays
 * in a file name instead of becoming a directory); `.`, `..`, empty segments and NUL are refused, so a URI
 * never leads outside the storage root.
 */
export function uriSegments(uri: string): string[] {
  if (!uri.startsWith(`${SCHEME}/`)) throw new Error(`not an internal storage URI (kestra:///...): ${uri}`);
  const path = uri.slice(SCHEME.length + 1);
  const segments = path.split("/");
  for (const segment of segments) {
    if (
      segment === "" ||
      segment === "." ||
      segment === ".." ||
      segment.includes("\0") ||
      segment.includes("\\")
    ) {
      throw new Error(`invalid internal storage URI: ${uri}`);
    }
  }
  return segments;
}

/**
 * The storage holds files only, as S3 does: a directory is just where the files under a prefix live, and
 * deleting the last of them leaves it behind, empty. A file written later at that very path replaces the
 * empty directory (found by the REST fuzz test: an EISDIR 500). A directory that still holds files is a
 * real conflict, which callers check first: rmdir refuses it (ENOTEMPTY).
 */
async function clearEmptyDirectory(path: string): Promise<void> {
  const info = await lstat(path).catch(() => undefined);
  if (info?.isDirectory()) await rmdir(path);
}

/**
 * Internal storage in a local directory: `kestra:///a/b/c.txt` is the file `{root}/a/b/c.txt`. Directories
 * are created 0700 and files 0600, whatever the umask: the storage holds every tenant's files and only the
 * engine's user may read them (scripts run as other users, or in a sandbox that does not show it at all).
 */
export class LocalStorage implements FileStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(uri: string): string {
    const full = join(this.root, ...uriSegments(uri));
    if (!full.startsWith(this.root + sep)) throw new Error(`invalid internal storage URI: ${uri}`);
    return full;
  }

  async put(uri: string, data: Uint8Array | string): Promise<string> {
    const path = this.path(uri);
    await mkdir(dirname(path), { recursive: true, mode: DIR_MODE });
    // Written aside then renamed: readers never see half a file.
    const temp = join(dirname(path), `${PART_PREFIX}${randomBytes(6).toString("hex")}`);
    try {
      await writeFile(temp, data, { mode: FILE_MODE });
      // The umask may have removed bits, never added any; chmod anyway for a umask of 0 on odd systems.
      await chmod(temp, FILE_MODE);
      await clearEmptyDirectory(path);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return uri;
  }

  async write(uri: string, chunks: AsyncIterable<Uint8Array>): Promise<string> {
    const path = this.path(uri);
    await mkdir(dirname(path), { recursive: true, mode: DIR_MODE });
    // Like put: written aside then renamed, so a reader never sees a file that is still being written.
    const temp = join(dirname(path), `${PART_PREFIX}${randomBytes(6).toString("hex")}`);
    try {
      await pipeline(Readable.from(chunks), createWriteStream(temp, { mode: FILE_MODE }));
      await chmod(temp, FILE_MODE);
      await clearEmptyDirectory(path);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return uri;
  }

  async *read(uri: string): AsyncIterable<Uint8Array> {
    const path = this.path(uri);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw new Error(`file not found in internal storage: ${uri}`);
    for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
      yield new Uint8Array(
        (chunk as Buffer).buffer,
        (chunk as Buffer).byteOffset,
        (chunk as Buffer).byteLength,
      );
    }
  }

  async get(uri: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.path(uri)));
    } catch (error) {
      if (
        (error as NodeJS.ErrnoException).code === "ENOENT" ||
        (error as NodeJS.ErrnoException).code === "EISDIR"
      ) {
        throw new Error(`file not found in internal storage: ${uri}`);
      }
      throw error;
    }
  }

  async exists(uri: string): Promise<boolean> {
    const info = await stat(this.path(uri)).catch(() => undefined);
    return info?.isFile() ?? false;
  }

  async size(uri: string): Promise<number> {
    const info = await stat(this.path(uri)).catch(() => undefined);
    if (!info?.isFile()) throw new Error(`file not found in internal storage: ${uri}`);
    return info.size;
  }

  async modified(uri: string): Promise<Date | undefined> {
    const info = await stat(this.path(uri)).catch(() => undefined);
    return info?.isFile() ? info.mtime : undefined;
  }

  async delete(uri: string): Promise<boolean> {
    const path = this.path(uri);
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isFile()) return false;
    await rm(path);
    return true;
  }

  async list(prefix: string): Promise<string[]> {
    if (!prefix.startsWith(`${SCHEME}/`)) return [];
    // Walk the deepest directory the prefix names, then keep the URIs that start with the prefix.
    const rest = prefix.slice(SCHEME.length + 1);
    const complete = rest.includes("/") ? rest.slice(0, rest.lastIndexOf("/")) : "";
    let base = this.root;
    if (complete) {
      try {
        base = join(this.root, ...uriSegments(`${SCHEME}/${complete}`));
      } catch {
        return [];
      }
    }
    const out: string[] = [];
    const visit = async (dir: string, uriPrefix: string) => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const uri = `${uriPrefix}${entry.name}`;
        if (entry.isDirectory()) await visit(join(dir, entry.name), `${uri}/`);
        else if (entry.isFile() && !PART.test(entry.name) && uri.startsWith(prefix)) out.push(uri);
      }
    };
    await visit(base, `${SCHEME}/${complete ? `${complete}/` : ""}`);
    return out.sort();
  }
}
