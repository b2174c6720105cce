// The internal storage of a server process, built here and nowhere else: from CADENZA_STORAGE (local
// directory or S3 bucket, validated by env.ts), once per process, and shared by the web app's engine handle
// and the engine runtime (`cadenza start` runs both in one process; the cache lives on globalThis because
// the Next server loads its own copy of this module).
import path from "node:path";
import type { FileStorage } from "@/engine/plugin";
import { awsS3Endpoint } from "@/plugins/aws";
import { createStorage, type StorageConfig } from "@/worker/storage";
import { type Env, env } from "./env";
import { CadenzaError } from "./errors";

type StorageSettings = Pick<
  Env,
  | "CADENZA_DATA_DIR"
  | "CADENZA_STORAGE"
  | "CADENZA_STORAGE_DIR"
  | "CADENZA_STORAGE_SHARED"
  | "CADENZA_S3_ENDPOINT"
  | "CADENZA_S3_REGION"
  | "CADENZA_S3_BUCKET"
  | "CADENZA_S3_ACCESS_KEY_ID"
  | "CADENZA_S3_SECRET_ACCESS_KEY"
  | "CADENZA_S3_SESSION_TOKEN"
  | "CADENZA_S3_PATH_STYLE"
  | "CADENZA_S3_PREFIX"
>;

/** The storage configuration of the environment; `dataDir` overrides CADENZA_DATA_DIR (tests, benches). */
export function storageConfigFrom(
  settings: StorageSettings = env,
  dataDir = settings.CADENZA_DATA_DIR,
): StorageConfig {
  if (settings.CADENZA_STORAGE === "local")
    return { type: "local", root: settings.CADENZA_STORAGE_DIR ?? path.join(dataDir, "storage") };
  const { CADENZA_S3_BUCKET: bucket, CADENZA_S3_ACCESS_KEY_ID: accessKeyId } = settings;
  const secretAccessKey = settings.CADENZA_S3_SECRET_ACCESS_KEY;
  // env.ts refuses CADENZA_STORAGE=s3 without these; this guards callers that build settings by hand.
  if (!bucket || !accessKeyId || !secretAccessKey)
    throw new CadenzaError(
      "CADENZA_STORAGE=s3 needs CADENZA_S3_BUCKET, CADENZA_S3_ACCESS_KEY_ID and CADENZA_S3_SECRET_ACCESS_KEY",
    );
  const region = settings.CADENZA_S3_REGION ?? "us-east-1";
  return {
    type: "s3",
    endpoint: settings.CADENZA_S3_ENDPOINT ?? awsS3Endpoint(region),
    region,
    bucket,
    credentials: {
      accessKeyId,
      secretAccessKey,
      ...(settings.CADENZA_S3_SESSION_TOKEN ? { sessionToken: settings.CADENZA_S3_SESSION_TOKEN } : {}),
    },
    pathStyle: settings.CADENZA_S3_PATH_STYLE ?? Boolean(settings.CADENZA_S3_ENDPOINT),
    ...(settings.CADENZA_S3_PREFIX ? { prefix: settings.CADENZA_S3_PREFIX } : {}),
  };
}

/** Where the storage is, for start-up messages (no credentials). */
export function describeStorage(config: StorageConfig): string {
  if (config.type === "local") return `local directory ${config.root}`;
  if (config.type === "s3")
    return `S3 bucket ${config.bucket}${config.prefix ? ` (prefix ${config.prefix})` : ""} at ${config.endpoint}`;
  return "memory";
}

const cache = globalThis as typeof globalThis & { __cadenzaStorage?: Map<string, FileStorage> };

/** The storage a configuration names, built once per process and configuration. */
export function serverStorage(config: StorageConfig = storageConfigFrom()): FileStorage {
  cache.__cadenzaStorage ??= new Map();
  const key = JSON.stringify(config);
  let storage = cache.__cadenzaStorage.get(key);
  if (!storage) {
    storage = createStorage(config);
    cache.__cadenzaStorage.set(key, storage);
  }
  return storage;
}

/**
 * `cadenza server web` and `cadenza server engine` run on machines of their own: a file one writes (an
 * upload, a task's output) must be readable by the others. A local directory is refused unless declared
 * shared (CADENZA_STORAGE_SHARED=true: the same NFS or volume mounted on each), since on separate disks
 * executions would fail later, far from the cause.
 */
export function requireSharedStorage(role: string, settings: StorageSettings = env): StorageConfig {
  const config = storageConfigFrom(settings);
  if (config.type === "local" && !settings.CADENZA_STORAGE_SHARED)
    throw new CadenzaError(
      `\`cadenza server ${role}\` shares files with the other servers, but the internal storage is the local directory ${config.root}: ` +
        "set CADENZA_STORAGE=s3 with CADENZA_S3_BUCKET, CADENZA_S3_ACCESS_KEY_ID and CADENZA_S3_SECRET_ACCESS_KEY (and CADENZA_S3_ENDPOINT for MinIO, Ceph...), " +
        "or, if that directory (CADENZA_STORAGE_DIR) is one filesystem mounted on every server, declare it with CADENZA_STORAGE_SHARED=true.",
    );
  return config;
}

/**
 * Fails at start, in one line, when an S3 storage cannot be used (wrong endpoint, bucket or key), rather
 * than at the first execution that writes a file. A local directory is checked by openServerEngine.
 */
export async function checkStorageReachable(config: StorageConfig): Promise<void> {
  if (config.type !== "s3") return;
  try {
    // A listing of a prefix nothing uses: it needs the bucket to exist and the key to be allowed to read it.
    await serverStorage(config).list("kestra:///.cadenza-start-check/");
  } catch (error) {
    // fetch's own message is "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND...) is in its cause.
    const failure = error as Error & {
      cause?: { code?: string; message?: string; errors?: { code?: string }[] };
    };
    const reason = failure.cause?.code ?? failure.cause?.errors?.[0]?.code ?? failure.cause?.message;
    const detail = reason ? `${failure.message} (${reason})` : failure.message;
    throw new CadenzaError(`The internal storage (${describeStorage(config)}) cannot be used: ${detail}.`);
  }
}
