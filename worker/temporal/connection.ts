import { readFileSync } from "node:fs";
import { Connection, type TLSConfig } from "@temporalio/client";

/** How to reach the Temporal server (server/env.ts: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TLS_*, TEMPORAL_API_KEY). */
export interface TemporalConnectionOptions {
  address: string;
  namespace: string;
  /** TLS (true: the system's roots), with files for a private CA or mTLS. Absent: plain gRPC (a dev server). */
  tls?: {
    /** PEM file of the CA that signed the server's certificate. */
    caFile?: string;
    /** PEM files of this client's certificate and key (mTLS). */
    certFile?: string;
    keyFile?: string;
    /** The name the server's certificate is checked against, when not the address's host. */
    serverName?: string;
  };
  /** An API key (Temporal Cloud); sent over TLS. */
  apiKey?: string;
}

function tlsConfig(options: TemporalConnectionOptions): TLSConfig | undefined {
  const { tls } = options;
  if (!tls) return options.apiKey ? {} : undefined;
  return {
    ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
    ...(tls.caFile ? { serverRootCACertificate: readFileSync(tls.caFile) } : {}),
    ...(tls.certFile && tls.keyFile
      ? { clientCertPair: { crt: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) } }
      : {}),
  };
}

/** Options of the worker's NativeConnection and of a client's Connection (the same shape for both). */
export function nativeConnectionOptions(options: TemporalConnectionOptions) {
  const tls = tlsConfig(options);
  return {
    address: options.address,
    ...(tls ? { tls } : {}),
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
  };
}

/** A client connection to the Temporal server. */
export function clientConnection(options: TemporalConnectionOptions): Promise<Connection> {
  return Connection.connect(nativeConnectionOptions(options));
}

/**
 * Waits until the Temporal server answers (a dev server listens some time before its frontend is
 * healthy): resolves once a client could connect, rejects with the last error after `timeoutMs`.
 */
export async function waitForTemporal(options: TemporalConnectionOptions, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await clientConnection(options);
      await connection.close();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Whether the Temporal server answers now (for /api/health): one connection attempt, closed at once. */
export async function temporalReachable(
  options: TemporalConnectionOptions,
  timeoutMs = 3_000,
): Promise<boolean> {
  try {
    const connection = await Connection.connect({
      ...nativeConnectionOptions(options),
      connectTimeout: timeoutMs,
    });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}
