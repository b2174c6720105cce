// The one tRPC setup file (create-t3-app's shape): the context, and the procedures routers build on.
//   publicProcedure   — anyone
//   protectedProcedure — a principal: a signed-in user (session cookie) or an API token (Authorization: Bearer)
//   tenantProcedure   — input { tenant: slug }: resolves the tenant and the principal's access there once
//                       (404 if it cannot see the tenant) and gives the procedure a service scope.
// Routers do not use these directly: from-operations.ts makes each procedure from an operation, whose
// adapter calls authorize().
// Every procedure declares meta.scope, which the isolation tests read to know what to expect of it.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";
import type { Principal } from "../access/authorize";
import { loadTenantAccess } from "../access/load-access";
import { clientIp } from "../auth/client-ip";
import { resolvePrincipal, type SessionUser } from "../auth/principal";
import { crossSite } from "../auth/same-origin";
import { getDb, type PrismaClient } from "../db/client";
import type { ServerEngine } from "../engine";
import { checkValue } from "../input-limits";
import { getEngine } from "../services/engine-client";
import { describeError, type ErrorStatus } from "../services/errors";
import { createScope } from "../services/scope";

export interface TrpcContextOptions {
  headers: Headers;
  /** The request's URL (for the same-origin check of cookie-authenticated mutations). */
  url?: string;
  /** Defaults: the process's database, engine and Auth.js session. */
  db?: PrismaClient;
  engine?: () => Promise<ServerEngine>;
  session?: () => Promise<SessionUser | null>;
}

export async function createTRPCContext(options: TrpcContextOptions) {
  const db = options.db ?? getDb();
  const session = options.session ?? (async () => (await import("../auth")).sessionUser());
  let principal: Principal | null = null;
  let authError: unknown;
  try {
    principal = await resolvePrincipal(db, { authorization: options.headers.get("authorization"), session });
  } catch (error) {
    authError = error;
  }
  return {
    db,
    session: principal?.via === "session" ? { user: { id: principal.id, email: principal.name } } : null,
    principal,
    /** Why the Authorization header was refused, if it was. */
    authError,
    headers: options.headers,
    url: options.url,
    ip: clientIp(options.headers),
    engine: options.engine ?? getEngine,
  };
}

export type TrpcContext = Awaited<ReturnType<typeof createTRPCContext>>;

export interface ProcedureMeta {
  /** public: no principal needed; user: a principal, no tenant; tenant: a principal with access to input.tenant. */
  scope: "public" | "user" | "tenant";
  /** The operation (server/operations) the procedure was made from; the architecture test requires one. */
  operation?: string;
}

const CODES: Record<ErrorStatus, TRPCError["code"]> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  422: "UNPROCESSABLE_CONTENT",
  429: "TOO_MANY_REQUESTS",
  500: "INTERNAL_SERVER_ERROR",
  503: "SERVICE_UNAVAILABLE",
};

const t = initTRPC
  .context<TrpcContext>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const details = (error.cause as { details?: unknown } | undefined)?.details;
      const { stack: _stack, ...data } = shape.data;
      return { ...shape, data: { ...data, ...(details !== undefined ? { details } : {}) } };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Service errors become the tRPC code of their HTTP status (the same describeError as REST). */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const error = result.error;
  const cause =
    error.code === "INTERNAL_SERVER_ERROR" || error.code === "BAD_REQUEST"
      ? (error.cause ?? error)
      : undefined;
  if (!cause || cause instanceof TRPCError) return result;
  const described = describeError(cause);
  if (described.status === 500) {
    if (error.code === "BAD_REQUEST") return result; // tRPC's own input validation
    console.error("cadenza trpc: unexpected error", cause);
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: described.message });
  }
  throw new TRPCError({
    code: CODES[described.status],
    message: described.message,
    cause: Object.assign(new Error(described.message), { details: described.details }),
  });
});

/** Inputs nested too deep or holding NUL characters are refused (400) before any procedure sees them. */
const checkInput = t.middleware(async ({ getRawInput, next }) => {
  checkValue(await getRawInput(), "The input");
  return next();
});

const base = t.procedure.use(mapErrors).use(checkInput);

export const publicProcedure = base.meta({ scope: "public" });

export const protectedProcedure = base.meta({ scope: "user" }).use(({ ctx, next, type }) => {
  if (ctx.authError) {
    const described = describeError(ctx.authError);
    throw new TRPCError({ code: CODES[described.status], message: described.message });
  }
  if (!ctx.principal)
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in, or send an API token." });
  if (ctx.principal.via === "session" && type === "mutation" && ctx.url && crossSite(ctx.headers, ctx.url))
    throw new TRPCError({ code: "FORBIDDEN", message: "Cross-site request refused." });
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});

export const tenantProcedure = protectedProcedure
  .meta({ scope: "tenant" })
  .input(z.object({ tenant: z.string().max(63) }))
  .use(async ({ ctx, input, next }) => {
    const access = await loadTenantAccess(ctx.db, ctx.principal, input.tenant);
    const scope = createScope({
      db: ctx.db,
      tenant: access.tenant,
      principal: access.principal,
      ip: ctx.ip,
      engine: ctx.engine,
    });
    return next({ ctx: { ...ctx, principal: access.principal, tenant: access.tenant, scope } });
  });
