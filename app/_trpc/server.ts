// tRPC for server components: the same procedures the UI calls over /api/trpc, called in-process with the
// request's headers (its session cookie), so pages are authorized exactly like API calls. Server only.
import { headers } from "next/headers";
import { createCaller } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";

export async function serverCaller() {
  return createCaller(await createTRPCContext({ headers: new Headers(await headers()) }));
}
