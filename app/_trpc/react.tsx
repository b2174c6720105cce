"use client";
// The UI's tRPC client (TanStack React Query), calling /api/trpc with the session cookie.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchStreamLink, httpLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { type ReactNode, useState } from "react";
import superjson from "superjson";
import type { AppRouter } from "@/server/api/root";

const LARGE_INPUT_QUERIES = new Set(["flows.validate", "flows.sourceGraph", "executions.previewExpression"]);

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: false } } }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          // Queries that carry a flow's YAML go as POST: a large flow does not fit in a URL (431).
          condition: (op) => op.type === "query" && LARGE_INPUT_QUERIES.has(op.path),
          true: httpLink({ url: "/api/trpc", transformer: superjson, methodOverride: "POST" }),
          // Batched queries share one request whose answers stream back as each is ready (JSON lines): a
          // page's first rows do not wait for its count or chart. A slow query (counting a million log
          // lines) asked with `context: { skipBatch: true }` still goes alone, on a connection of its own.
          false: splitLink({
            condition: (op) => op.context.skipBatch === true,
            true: httpLink({ url: "/api/trpc", transformer: superjson }),
            false: httpBatchStreamLink({ url: "/api/trpc", transformer: superjson }),
          }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
