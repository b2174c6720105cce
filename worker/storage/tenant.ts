import type { FileStorage } from "@/engine/plugin";
import { uriSegments } from "./local";

const SCHEME = "kestra:///";

/** A backend that streams (method calls keep their `this`). */
type Streaming = Required<Pick<FileStorage, "read" | "write">>;

/**
 * One tenant's view of a shared storage: flows keep seeing Kestra's URIs (`kestra:///company/team/...`),
 * stored under `kestra:///{tenant}/...` of the backend, so two tenants with the same namespace never see each
 * other's files. Give each task (and each expression's file functions) the view of its execution's tenant.
 */
export function tenantStorage(storage: FileStorage, tenantId: string): FileStorage {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(tenantId)) throw new Error(`invalid tenant id '${tenantId}'`);
  const prefix = `${SCHEME}${tenantId}/`;
  const inner = (uri: string) => `${prefix}${uriSegments(uri).join("/")}`;
  return {
    put: async (uri, data) => {
      await storage.put(inner(uri), data);
      return uri;
    },
    get: async (uri) => storage.get(inner(uri)),
    exists: async (uri) => storage.exists(inner(uri)),
    size: async (uri) => storage.size(inner(uri)),
    delete: async (uri) => storage.delete(inner(uri)),
    ...(storage.modified ? { modified: async (uri: string) => storage.modified?.(inner(uri)) } : {}),
    ...(storage.read ? { read: (uri: string) => (storage as Streaming).read(inner(uri)) } : {}),
    ...(storage.write
      ? {
          write: async (uri: string, chunks: AsyncIterable<Uint8Array>) => {
            await (storage as Streaming).write(inner(uri), chunks);
            return uri;
          },
        }
      : {}),
    async list(listPrefix) {
      if (!listPrefix.startsWith(SCHEME)) return [];
      const found = await storage.list(prefix + listPrefix.slice(SCHEME.length));
      return found.map((uri) => SCHEME + uri.slice(prefix.length));
    },
  };
}
