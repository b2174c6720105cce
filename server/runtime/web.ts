// The web process: builds the Next.js app when there is no build, and serves it.
//
// Next runs inside the `cadenza` process (Next's programmatic API on a node:http server) rather
// than as a `next start` child: one process to signal and to stop, no orphan to leak if the
// parent dies, and the web server starts only after the database is ready and migrated.
import { spawn } from "node:child_process";
import { type Dirent, existsSync, readdirSync, statSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { stampClientAddress, trustedProxyList } from "../auth/client-ip";
import { env } from "../env";
import { CadenzaError, errorCode } from "../errors";
import { malformedTarget } from "../input-limits";
import { repoRoot } from "../paths";

/** How long an idle kept-alive connection stays open (see where the server is created). */
const KEEP_ALIVE_MS = 65_000;

export function hasBuild(dir = repoRoot): boolean {
  return existsSync(path.join(dir, ".next", "BUILD_ID"));
}

/** What goes into the web app's build: a change to any of these makes a build stale. */
const buildInputs = ["app", "server", "worker", "engine", "plugins", "public"];
const buildInputFiles = [
  "next.config.ts",
  "postcss.config.mjs",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "prisma/schema.prisma",
];

/**
 * "missing" without a build; "stale" when a source file is newer than the build (after a `git
 * pull` or an edit), so that `cadenza start` and the e2e tests never serve yesterday's code.
 */
export function buildState(dir = repoRoot): "missing" | "stale" | "current" {
  const buildId = path.join(dir, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return "missing";
  const builtAt = statSync(buildId).mtimeMs;
  const newer = (file: string): boolean => {
    try {
      return statSync(file).mtimeMs > builtAt;
    } catch {
      return false;
    }
  };
  const walk = (folder: string): boolean => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return false;
    }
    return entries.some((entry) => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory())
        return entry.name !== "node_modules" && entry.name !== "generated" && walk(full);
      return /\.(tsx?|mjs|js|css|json)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && newer(full);
    });
  };
  const stale =
    buildInputFiles.some((file) => newer(path.join(dir, file))) ||
    buildInputs.some((folder) => walk(path.join(dir, folder)));
  return stale ? "stale" : "current";
}

/** Runs `next build` (output streamed to `output`), unless the build is current and `force` is false. */
export async function ensureBuild(options: {
  force?: boolean;
  output: (text: string) => void;
  signal?: AbortSignal;
  dir?: string;
}): Promise<"built" | "reused"> {
  const dir = options.dir ?? repoRoot;
  if (!options.force && buildState(dir) === "current") return "reused";
  const nextBin = createRequire(path.join(dir, "package.json")).resolve("next/dist/bin/next");
  const child = spawn(process.execPath, [nextBin, "build"], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (chunk: Buffer) => options.output(chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => options.output(chunk.toString()));
  const onAbort = () => child.kill("SIGTERM");
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (exitCode) => resolve(exitCode));
  }).finally(() => options.signal?.removeEventListener("abort", onAbort));
  if (options.signal?.aborted) throw new CadenzaError("Build interrupted.");
  if (code !== 0) {
    throw new CadenzaError(
      `The web app failed to build (next build exited with ${code}): see its output above.`,
    );
  }
  return "built";
}

/** Fails with one line when nothing can listen on host:port (checked before the slow steps). */
export async function assertPortFree(port: number, host?: string): Promise<void> {
  const server = net.createServer();
  try {
    await listen(server, port, host);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function listen(server: net.Server, port: number, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.removeListener("listening", onListening);
      reject(portError(error, port, host));
    };
    const onListening = () => {
      server.removeListener("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen({ port, host });
  });
}

function portError(error: Error, port: number, host?: string): Error {
  const where = host ? `${host}:${port}` : `port ${port}`;
  switch (errorCode(error)) {
    case "EADDRINUSE":
      return new CadenzaError(
        `Port ${port} is already in use${host ? ` on ${host}` : ""}: stop what listens there, or choose another port with PORT=<port>.`,
        { cause: error },
      );
    case "EACCES":
      return new CadenzaError(
        `Not allowed to listen on ${where} (ports below 1024 need privileges): choose another port with PORT=<port>.`,
        { cause: error },
      );
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
      return new CadenzaError(
        `Cannot listen on ${where}: ${host} is not an address of this machine; fix HOST.`,
        {
          cause: error,
        },
      );
    default:
      return error;
  }
}

export interface WebServer {
  url: string;
  stop: () => Promise<void>;
}

/** Serves the built app on host:port. DATABASE_URL must already be in process.env. */
export async function startWebServer(options: {
  port: number;
  host?: string;
  dir?: string;
}): Promise<WebServer> {
  const dir = options.dir ?? repoRoot;
  if (!hasBuild(dir))
    throw new CadenzaError("No build of the web app: run `npm run build` or `cadenza start`.");
  const { default: next } = await import("next");
  const app = next({ dev: false, dir, hostname: options.host ?? "localhost", port: options.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const trustedProxies = trustedProxyList(env.CADENZA_TRUSTED_PROXIES);
  const server = http.createServer((req, res) => {
    const malformed = malformedTarget(req.url ?? "/");
    if (malformed) {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ message: malformed }));
      return;
    }
    // The one place the client's address is decided (rate limits, audit log): see server/auth/client-ip.ts.
    stampClientAddress(req, trustedProxies);
    handle(req, res).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  // Node closes an idle kept-alive connection after 5 s, and a client that reuses it at that instant gets
  // ECONNRESET (an e2e request did, mid-journey). Longer than the usual client and proxy idle times (60 s).
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  await listen(server, options.port, options.host);
  const shownHost =
    !options.host || options.host === "0.0.0.0" || options.host === "::" ? "localhost" : options.host;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${options.port}`,
    stop: () => {
      stopped ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Requests in flight get a moment to finish; streams (SSE, later) are cut after it.
        const force = setTimeout(() => server.closeAllConnections(), 3_000);
        await closed;
        clearTimeout(force);
        await app.close();
      })();
      return stopped;
    },
  };
}
