// Server components call the same tRPC procedures as the browser, in-process, with the request's own
// headers (session cookie): one set of permission checks for both.
import { headers } from "next/headers";
import { cache } from "react";
import { createCaller } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";

export const serverCaller = cache(async () => {
  const h = new Headers(await headers());
  return createCaller(await createTRPCContext({ headers: h }));
});
