// The REST API as the Next route handlers run it: the process's database, engine and Auth.js session.
import { sessionUser } from "../auth";
import { getDb } from "../db/client";
import { getEngine } from "../services/engine-client";
import { handleRest } from "./handler";
import { openApiDocument } from "./openapi";
import { router, routes } from "./routes";

export function serveRest(request: Request): Promise<Response> {
  return handleRest(request, { db: getDb(), engine: getEngine, session: sessionUser, router });
}

let document: Record<string, unknown> | undefined;

export function serveOpenApi(): Response {
  document ??= openApiDocument(routes);
  return Response.json(document, { headers: { "cache-control": "public, max-age=300" } });
}
