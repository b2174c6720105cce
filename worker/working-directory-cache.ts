import { createHash } from "node:crypto";
import { unzipSync, zipSync } from "fflate";
import type { FileStorage, Workspace } from "@/engine/plugin";
import { parseDuration } from "@/engine/util/duration";

/**
 * A WorkingDirectory's `cache` (Kestra's WorkingDirectory.preExecuteTasks / postExecuteTasks with
 * InternalStorage.getCacheFile / putCacheFile): one zip archive per namespace, flow and task (and value of
 * the run, in a loop), in the internal storage.
 */

export interface CacheSettings {
  patterns: string[];
  ttl?: string;
}

/**
 * Where a cache lives: Kestra's StorageContext.getCacheURI (`/{namespace as path}/{flow}/{task}/cache/
 * [{hash of the value}/]cache.zip`). Flow and task ids are identifiers (no `/`, never `_files`), so the
 * URI stays under the flow's own folder of the tenant's storage.
 */
export function cacheUri(namespace: string, flowId: string, taskId: string, value?: string | null): string {
  const hashed = value == null ? "" : `${createHash("sha256").update(value).digest("hex").slice(0, 32)}/`;
  return `kestra:///${namespace.split(".").join("/")}/${flowId}/${taskId}/cache/${hashed}cache.zip`;
}

/** The zip archive of `files` (paths relative to the directory), as Kestra's postExecuteTasks writes it. */
export function archive(files: Record<string, Uint8Array>): Uint8Array {
  return zipSync(files);
}

/** The regular files of an archive (directories left out). */
export function unarchive(data: Uint8Array): Record<string, Uint8Array> {
  const entries = unzipSync(data);
  return Object.fromEntries(Object.entries(entries).filter(([name]) => !name.endsWith("/")));
}

/** Whether a cache written at `written` is past its `ttl` at `now` (never without a ttl, as in Kestra). */
export function expired(ttl: string | undefined, written: Date | undefined, now: Date): boolean {
  if (ttl === undefined || written === undefined) return false;
  const ms = parseDuration(ttl);
  return ms !== undefined && now.getTime() > written.getTime() + ms;
}

/**
 * Fills a new shared directory from its cache, unless there is none or it is past its ttl (then it is
 * deleted, as Kestra's getCacheFile does). The files restored keep the cache's time as their own, so that
 * `saveCache` sees which changed since. Returns how many files were restored.
 */
export async function restoreCache(
  storage: FileStorage,
  workspace: Workspace,
  uri: string,
  settings: CacheSettings,
  now: Date,
  logger: { debug(message: string): void; warn(message: string): void },
): Promise<number> {
  if (!(await storage.exists(uri))) return 0;
  const written = await storage.modified?.(uri);
  if (expired(settings.ttl, written, now)) {
    logger.debug(`Cache is expired (ttl ${settings.ttl}), deleting it`);
    await storage.delete(uri);
    return 0;
  }
  let restored = 0;
  for (const [name, data] of Object.entries(unarchive(await storage.get(uri)))) {
    try {
      await workspace.writeFile(name, data);
      await workspace.setModified?.(name, written ?? new Date(0));
      restored++;
    } catch (error) {
      // Kestra logs the entry it cannot create and goes on with the others.
      logger.warn(`Unable to create the file ${name} from the cache: ${(error as Error).message}`);
    }
  }
  logger.debug(`Cache restored: ${restored} file(s)`);
  return restored;
}

/**
 * Archives the files matching the cache's patterns into the cache, when one of them was written after the
 * cache (all of them when there is none): an unchanged cache keeps its time, so its ttl runs from when it
 * was built (Kestra's cacheDownloadedTime check). Returns whether it was written.
 */
export async function saveCache(
  storage: FileStorage,
  workspace: Workspace,
  uri: string,
  settings: CacheSettings,
): Promise<boolean> {
  // collect also returns the output directory's files: a workspace opened to read has none.
  const files = await workspace.collect(settings.patterns);
  if (files.length === 0) return false;
  const since = (await storage.modified?.(uri))?.getTime() ?? 0;
  let changed = false;
  for (const file of files) {
    const modified = file.modified ? (await file.modified()).getTime() : Number.POSITIVE_INFINITY;
    if (modified > since) {
      changed = true;
      break;
    }
  }
  if (!changed) return false;
  const content: Record<string, Uint8Array> = {};
  for (const file of files) content[file.path] = await file.read();
  await storage.put(uri, archive(content));
  return true;
}
