import type { FileStorage } from "@/engine/plugin";
import { LocalStorage } from "./local";
import { MemoryStorage } from "./memory";
import { S3Storage, type S3StorageOptions } from "./s3";

export { LocalStorage, uriSegments } from "./local";
export { MemoryStorage } from "./memory";
export { S3Storage, type S3StorageOptions } from "./s3";
export { tenantStorage } from "./tenant";
export { inputFileUri, taskFileUri } from "./uris";

/** How the internal storage is configured (the server maps its validated environment to this). */
export type StorageConfig =
  | { type: "local"; root: string }
  | ({ type: "s3" } & Omit<S3StorageOptions, "fetch" | "pageSize">)
  | { type: "memory" };

/** The internal storage backend a configuration names. */
export function createStorage(config: StorageConfig): FileStorage {
  switch (config.type) {
    case "local":
      return new LocalStorage(config.root);
    case "s3":
      return new S3Storage(config);
    case "memory":
      return new MemoryStorage();
  }
}
