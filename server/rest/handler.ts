// Serves /api/v1/{tenant}/...: finds the route, resolves the principal (bearer token, else session) and
// its access to the tenant once, validates parameters, query and body with the route's schemas, calls the
// handler, and turns every failure into `{ message, details? }` with its status (describeError).
import type { AuthorizedPrincipal, Principal } from "../access/authorize";
import { loadTenantAccess } from "../access/load-access";
import { clientIp } from "../auth/client-ip";
import { resolvePrincipalAgain, type SessionUser } from "../auth/principal";
import { crossSite } from "../auth/same-origin";
import type { PrismaClient } from "../db/client";
import type { ServerEngine } from "../engine";
import { type BodyLimits, configuredLimits } from "../input-limits";
import { invoke } from "../operations/adapter";
import {
  BadRequestError,
  describeError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
} from "../services/errors";
import { createScope } from "../services/scope";
import { checkParameters, readBody } from "./body";
import type { AnyRoute, RestResult, Router } from "./route";

export interface RestDeps {
  db: PrismaClient;
  engine: () => Promise<ServerEngine>;
  /** The Auth.js session of the request (not called when an Authorization header is present). */
  session: () => Promise<SessionUser | null>;
  router: Router;
  now?: () => Date;
  /** Body size limits; by default CADENZA_MAX_BODY_BYTES and CADENZA_MAX_UPLOAD_BYTES. */
  limits?: BodyLimits;
}

export const API_PREFIX = "/api/v1/";

/** The one place a failure becomes a response. Bugs are logged with their stack; clients never see one. */
export function errorResponse(error: unknown): Response {
  const described = describeError(error);
  if (described.unexpected) console.error("cadenza api: unexpected error", error);
  const headers: Record<string, string> = {};
  if (described.status === 401) headers["www-authenticate"] = 'Bearer realm="cadenza"';
  if (described.retryAfterSeconds !== undefined) headers["retry-after"] = String(described.retryAfterSeconds);
  return Response.json(
    {
      message: described.message,
      ...(described.details !== undefined ? { details: described.details } : {}),
    },
    { status: described.status, headers },
  );
}

export function toResponse(result: RestResult | Response): Response {
  if (result instanceof Response) return result;
  const status = result.status ?? (result.body === undefined ? 204 : 200);
  if (result.body === undefined) return new Response(null, { status, headers: result.headers });
  return Response.json(result.body, { status, headers: result.headers });
}

/** `/api/v1/main/flows/a.b/c` -> tenant `main`, segments `["flows", "a.b", "c"]` (each decoded). */
export function splitPath(pathname: string): { tenant: string; segments: string[] } | undefined {
  if (!pathname.startsWith(API_PREFIX)) return undefined;
  const parts = pathname
    .slice(API_PREFIX.length)
    .split("/")
    .filter((part) => part.length > 0);
  const [tenant, ...rest] = parts;
  if (!tenant) return undefined;
  try {
    return { tenant: decodeURIComponent(tenant), segments: rest.map((part) => decodeURIComponent(part)) };
  } catch {
    throw new BadRequestError("The path is not valid percent-encoding.");
  }
}

/** Query parameters as an object; a repeated parameter becomes an array. */
export function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const previous = out[key];
    out[key] =
      previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}

async function parseInputs(route: AnyRoute, params: Record<string, string>, url: URL) {
  checkParameters({ params, query: queryObject(url) });
  return {
    params: route.params ? route.params.parse(params) : params,
    query: route.query ? route.query.parse(queryObject(url)) : {},
  };
}

/** Resolves the principal (and how to check it again); every route but webhooks needs one. */
async function principalOf(
  request: Request,
  deps: RestDeps,
): Promise<{ principal: Principal; again: () => Promise<Principal> }> {
  const resolved = await resolvePrincipalAgain(deps.db, {
    authorization: request.headers.get("authorization"),
    session: deps.session,
  });
  if (!resolved) throw new UnauthenticatedError();
  return resolved;
}

export async function handleRest(request: Request, deps: RestDeps): Promise<Response> {
  try {
    const url = new URL(request.url);
    const split = splitPath(url.pathname);
    if (!split) throw new NotFoundError("No such API path.");
    checkParameters({ tenant: split.tenant, path: split.segments });
    const match = deps.router.match(request.method, split.segments);
    if (!match)
      throw new NotFoundError(`No API route ${request.method} /api/v1/{tenant}/${split.segments.join("/")}.`);
    if ("allowed" in match)
      return Response.json(
        { message: `Method ${request.method} is not allowed here (allowed: ${match.allowed.join(", ")}).` },
        { status: 405, headers: { allow: match.allowed.join(", ") } },
      );
    const { route } = match;
    if (route.auth === "webhook") {
      if (!route.webhook) throw new Error(`route ${route.path} has no webhook handler`);
      const tenant = await deps.db.tenant.findUnique({
        where: { slug: split.tenant },
        select: { id: true, slug: true },
      });
      // Any mismatch is a 404 that looks the same, so keys, flows and tenants cannot be probed.
      if (!tenant) throw new NotFoundError("Webhook not found.");
      const { params, query } = await parseInputs(route, match.params, url);
      const body = await readBody(request, route.body, deps.limits);
      return toResponse(
        await route.webhook({ tenant, params, query, body, request, db: deps.db, engine: deps.engine }),
      );
    }
    // Who first (401), then whether they may see this tenant at all (404), then the request itself (400).
    const { principal, again } = await principalOf(request, deps);
    if (principal.via === "session" && request.method !== "GET" && crossSite(request.headers, request.url))
      throw new ForbiddenError(
        "Cross-site request refused: call the API from this site, or with an API token.",
      );
    const scopeOf = async (who: Principal) => {
      const access = await loadTenantAccess(deps.db, who, split.tenant);
      return createScope({
        db: deps.db,
        tenant: access.tenant,
        principal: access.principal as AuthorizedPrincipal,
        ip: clientIp(request.headers),
        engine: deps.engine,
        now: deps.now,
      });
    };
    const scope = await scopeOf(principal);
    const { params, query } = await parseInputs(route, match.params, url);
    const limits = deps.limits ?? configuredLimits();
    const body = await readBody(request, route.body, limits);
    const reauthorize = async () => scopeOf(await again());
    // Every route with a principal serves an operation: the adapter validates, authorizes and runs it.
    if (!route.operation) throw new Error(`route ${route.path} serves no operation`);
    const parts = { params, query, body, request };
    const input = route.input ? route.input(parts) : { ...params, ...query };
    const result = await invoke(route.operation, scope, input, { request, reauthorize, limits });
    if (route.output) return toResponse(route.output(result as never, parts));
    if (result instanceof Response) return result;
    return toResponse(result === undefined ? {} : { body: result });
  } catch (error) {
    return errorResponse(error);
  }
}
