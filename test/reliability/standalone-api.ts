// `cadenza start` without the Next.js pages, for the fault tests (kill-restart.test.ts, bench/reliability.ts):
// the same steps in the same order — the embedded PostgreSQL of CADENZA_DATA_DIR (or DATABASE_URL's), the
// migrations, the engine runtime with its workers, and a second engine handle plus a Prisma client for the
// web side, exactly what the Next route handler `app/api/v1/[tenant]/[[...path]]` gets from serveRest — with
// the REST handler served by node:http instead of Next. The pages are left out because a Next build takes
// minutes on CI's two cores and adds nothing to what is tested here: every webhook and API call goes
// through the same handleRest, services and engine.
//
// Prints "listening <url>" once it serves, then runs until killed (SIGTERM stops it cleanly; the tests
// SIGKILL it). Usage: node --import tsx test/reliability/standalone-api.ts PORT
import http from "node:http";
import { stampClientAddress, trustedProxyList } from "@/server/auth/client-ip";
import { createPrismaClient } from "@/server/db/client";
import { applyMigrations } from "@/server/db/migrate";
import { ensureDefaultTenant, openServerEngine, runtimeOptionsFrom } from "@/server/engine";
import { env, secretKeyBytes } from "@/server/env";
import { malformedTarget } from "@/server/input-limits";
import { migrationsDir } from "@/server/paths";
import { handleRest } from "@/server/rest/handler";
import { openApiDocument } from "@/server/rest/openapi";
import { router, routes } from "@/server/rest/routes";
import { openDatabase } from "@/server/runtime/database";
import { secretKey } from "@/server/secrets/crypto";
import { standaloneSecretKey } from "@/server/secrets/key";

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) throw new Error("usage: standalone-api.ts PORT");

const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.CADENZA_DATA_DIR });
await applyMigrations(database.url, migrationsDir);
const keyText = env.CADENZA_SECRET_KEY ?? standaloneSecretKey(env.CADENZA_DATA_DIR).value;
const key = secretKey(secretKeyBytes(keyText) as Buffer);
const report = (message: string, error?: unknown) =>
  process.stderr.write(`engine: ${message}${error ? ` (${String(error)})` : ""}\n`);
const engine = await openServerEngine({
  mode: { kind: "embedded" },
  databaseUrl: database.url,
  dataDir: env.CADENZA_DATA_DIR,
  inlineTasks: env.CADENZA_INLINE_TASKS,
  secretKey: key,
  report,
});
await ensureDefaultTenant(engine);
await engine.startRuntime(runtimeOptionsFrom(env));

// The web side's own handles, as serveRest's getDb() and getEngine() make them in `cadenza start`.
const db = createPrismaClient(database.url);
const webEngine = openServerEngine({
  mode: { kind: "embedded" },
  databaseUrl: database.url,
  dataDir: env.CADENZA_DATA_DIR,
  poolSize: 5,
  secretKey: key,
  report,
});
const trustedProxies = trustedProxyList(env.CADENZA_TRUSTED_PROXIES);

const server = http.createServer(async (req, res) => {
  try {
    // Methods Fetch cannot carry (TRACE, CONNECT) never reach a route handler.
    if (!["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].includes(req.method ?? "")) {
      res.writeHead(405).end();
      return;
    }
    const malformed = malformedTarget(req.url ?? "/");
    if (malformed) {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ message: malformed }));
      return;
    }
    stampClientAddress(req, trustedProxies);
    const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(url, {
      method: req.method ?? "GET",
      headers,
      ...(hasBody ? { body: req as unknown as ReadableStream, duplex: "half" } : {}),
    } as RequestInit);
    const response =
      url.pathname === "/api/v1/openapi.json"
        ? Response.json(openApiDocument(routes))
        : url.pathname.startsWith("/api/v1/")
          ? await handleRest(request, { db, engine: () => webEngine, session: async () => null, router })
          : Response.json({ message: "Not found." }, { status: 404 });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    const reader = response.body?.getReader();
    for (let read = await reader?.read(); reader && read && !read.done; read = await reader.read())
      res.write(read.value);
    res.end();
  } catch (error) {
    // What Next does with an exception that escapes a route handler: a bare 500, logged here.
    process.stderr.write(`standalone-api: ${String(error)}\n`);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  }
});
server.listen(port, "127.0.0.1", () => process.stdout.write(`listening http://127.0.0.1:${port}\n`));

const stop = async () => {
  server.close();
  server.closeAllConnections();
  await engine.close();
  await (await webEngine).close();
  await db.$disconnect();
  await database.stop();
  process.exit(0);
};
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
