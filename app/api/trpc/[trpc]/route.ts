import { handleTrpc } from "@/server/api/handler";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const handler = (request: Request) => handleTrpc(request);

export { handler as GET, handler as POST };
