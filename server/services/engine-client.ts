// The web process's handle on the engine: created once per process, lazily (like getDb()), from
// DATABASE_URL, CADENZA_DATA_DIR and CADENZA_ENGINE (embedded, or Temporal at TEMPORAL_ADDRESS), without a
// runtime — `cadenza start` runs the runtime itself, and `cadenza server web` runs none. It starts
// executions, operates them (through whichever engine is configured) and reads them for the API.

import { engineModeFrom, openServerEngine, type ServerEngine } from "../engine";
import { env } from "../env";
import { CadenzaError } from "../errors";
import { configuredSecretKey } from "../secrets/key";

// On globalThis so that development reloads reuse it and `cadenza start` can close it on shutdown.
const cache = globalThis as typeof globalThis & { __cadenzaWebEngine?: Promise<ServerEngine> };

export function getEngine(): Promise<ServerEngine> {
  if (cache.__cadenzaWebEngine) return cache.__cadenzaWebEngine;
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl)
    return Promise.reject(
      new CadenzaError("DATABASE_URL is not set: run the app through `cadenza start` or set it."),
    );
  let mode: ReturnType<typeof engineModeFrom>;
  try {
    mode = engineModeFrom(env);
  } catch (error) {
    return Promise.reject(error);
  }
  const opening = openServerEngine({
    mode,
    databaseUrl,
    dataDir: env.CADENZA_DATA_DIR,
    poolSize: 5,
    secretKey: configuredSecretKey,
    report: (message, error) => console.error(`cadenza web engine: ${message}`, error ?? ""),
  });
  cache.__cadenzaWebEngine = opening;
  opening.catch(() => {
    if (cache.__cadenzaWebEngine === opening) cache.__cadenzaWebEngine = undefined;
  });
  return opening;
}

/** Closes the web process's engine handle, if one was opened. */
export async function closeWebEngine(): Promise<void> {
  const opening = cache.__cadenzaWebEngine;
  cache.__cadenzaWebEngine = undefined;
  const engine = await opening?.catch(() => undefined);
  await engine?.close();
}
