// Every REST route under /api/v1/{tenant}: one handler, one route table (server/rest/routes).
import { serveRest } from "@/server/rest/serve";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const handle = (request: Request) => serveRest(request);

export { handle as DELETE, handle as GET, handle as PATCH, handle as POST, handle as PUT };
