// tRPC over HTTP, as the Next route handler serves it: the request body is counted as it streams in and
// cut off past CADENZA_MAX_BODY_BYTES (tRPC's fetch adapter has no limit of its own; its Node adapter
// fails the body stream with PAYLOAD_TOO_LARGE the same way), so tRPC answers 413 without ever holding
// more than the limit in memory.
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import {
  type BodyLimits,
  tooLarge as bodyTooLarge,
  checkDeclaredLength,
  configuredLimits,
  limitedStream,
} from "../input-limits";
import { appRouter } from "./root";
import { createTRPCContext, type TrpcContextOptions } from "./trpc";

const tooLarge = (limit: number) =>
  new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: bodyTooLarge(limit).message });

export async function handleTrpc(
  request: Request,
  options: Omit<TrpcContextOptions, "headers" | "url"> & { limits?: BodyLimits } = {},
): Promise<Response> {
  const { limits = configuredLimits(), ...context } = options;
  const limit = limits.bodyBytes;
  let limited = request;
  if (request.body) {
    let body = request.body;
    try {
      checkDeclaredLength(request.headers, limit);
    } catch {
      // Refused without reading: an empty stream that fails at once.
      await request.body.cancel().catch(() => {});
      body = new ReadableStream({ start: (controller) => controller.error(tooLarge(limit)) });
    }
    limited = new Request(request.url, {
      method: request.method,
      headers: request.headers,
      body: limitedStream(body, limit, () => tooLarge(limit)),
      signal: request.signal,
      duplex: "half",
    } as RequestInit);
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: limited,
    router: appRouter,
    // The UI sends queries with large inputs (a flow's YAML) as POST; they stay read-only queries.
    allowMethodOverride: true,
    createContext: () => createTRPCContext({ ...context, headers: request.headers, url: request.url }),
  });
}
