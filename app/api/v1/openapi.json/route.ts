import { serveOpenApi } from "@/server/rest/serve";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The OpenAPI 3.1 document of /api/v1, generated from the route table's zod schemas. */
export function GET(): Response {
  return serveOpenApi();
}
