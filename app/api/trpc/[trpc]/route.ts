import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const handler = (request: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    // The UI sends queries with large inputs (a flow's YAML) as POST; they stay read-only queries.
    allowMethodOverride: true,
    createContext: () => createTRPCContext({ headers: request.headers, url: request.url }),
  });

export { handler as GET, handler as POST };
