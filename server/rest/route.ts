// A REST route: method, Kestra-style path under /api/v1/{tenant}, zod schemas of its parameters, query
// and body as the wire carries them (they validate requests and produce the OpenAPI document), and the
// operation (server/operations) it serves: `input` maps the request onto the operation's input, `output`
// the operation's result onto the response. The adapter validates, authorizes and runs the operation.
// Webhook routes alone have no operation: no principal calls them (the key in the path is the credential).
// The route table (routes/index.ts) is the whole REST API: one catch-all Next route serves it, and the
// isolation tests enumerate it.
import type { z } from "zod";
import type { PrismaClient } from "../db/client";
import type { ServerEngine } from "../engine";
import type { AnyOperation } from "../operations/operation";
import { routeWire, type WireDeclaration, type WireOverride } from "./wire";

export type Method = "GET" | "POST" | "PUT" | "DELETE" | "PATCH";

/** How a body is read: JSON validated by a schema, YAML or plain text, execution inputs, or nothing. */
export type BodyKind =
  | { kind: "json"; schema: z.ZodType; optional?: boolean }
  | { kind: "yaml" }
  | { kind: "text" }
  /** multipart/form-data (fields and files), application/json or x-www-form-urlencoded; may be empty. */
  | { kind: "inputs" }
  /** An upload: multipart/form-data with these named parts (read like `inputs`; documented by name). */
  | { kind: "upload"; parts: Record<string, string> };

export interface ResponseDoc {
  status: number;
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

export interface RestResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface WebhookContext<P, Q, B> {
  tenant: { id: string; slug: string };
  params: P;
  query: Q;
  body: B;
  request: Request;
  db: PrismaClient;
  engine: () => Promise<ServerEngine>;
}

export interface InputsBody {
  values: Record<string, unknown>;
  files: { inputId: string; fileName: string; content: Uint8Array }[];
}

export interface RouteDef<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> {
  method: Method | Method[];
  /** Relative to /api/v1/{tenant}, with `{name}` parameters, e.g. `/flows/{namespace}/{flowId}`. */
  path: string;
  summary: string;
  tag: string;
  /** `webhook`: no principal (the key in the path is the credential): the `webhook` handler serves it. */
  auth?: "principal" | "webhook";
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: BodyKind;
  responses: ResponseDoc[];
  /** The operation this route serves (every route but webhooks). */
  operation?: AnyOperation;
  /** The operation's input from the request (default: the path parameters and the query, merged). */
  input?: (request: { params: P; query: Q; body: B; request: Request }) => unknown;
  /** The response from the operation's result (default: the result as JSON, or 204 when there is none). */
  output?: (
    result: never,
    request: { params: P; query: Q; body: B; request: Request },
  ) => RestResult | Response;
  /** For routes with auth "webhook": the handler that gets the tenant instead of a scope. */
  webhook?: (context: WebhookContext<P, Q, B>) => Promise<RestResult | Response>;
  /** What of `params` and `query` was written by hand, for a route made from an operation (wire.ts). */
  wire?: WireDeclaration;
}

// biome-ignore lint/suspicious/noExplicitAny: the table holds routes of every shape
export type AnyRoute = RouteDef<any, any, any>;

export function defineRoute<P, Q = Record<string, never>, B = unknown>(
  route: RouteDef<P, Q, B>,
): RouteDef<P, Q, B> {
  return route;
}

/** The request as a route's `input` and `output` see it: the parameters carry the operation's fields. */
type Parts<I, P, Q, B> = { params: P & Partial<I>; query: Q & Partial<I>; body: B; request: Request };

/**
 * A route serving an operation: its result `R` typed for `output`. Its path parameters and query are the
 * operation's input fields as the wire carries them (wire.ts): `params` and `query` name only what the
 * input lacks, `overrides` a field whose wire form differs (with why), and `inQuery` the input fields a
 * route with a body or an `input` mapping takes from the query. (The operation's input is checked by its
 * own schema when the request arrives.)
 */
export function operationRoute<
  R,
  I = unknown,
  P = Record<never, never>,
  Q = Record<never, never>,
  B = unknown,
>(
  operation: AnyOperation & { input: z.ZodType<I>; run: (...args: never[]) => R | Promise<R> },
  route: Omit<RouteDef<P, Q, B>, "operation" | "output" | "input" | "wire"> & {
    input?: (request: Parts<I, P, Q, B>) => unknown;
    output?: (result: Awaited<R>, request: Parts<I, P, Q, B>) => RestResult | Response;
    overrides?: Record<string, WireOverride>;
    inQuery?: readonly (keyof I & string)[];
  },
): RouteDef<P, Q, B> {
  const { overrides, inQuery, ...rest } = route;
  const derived = routeWire({
    where: `${methodsOf(route).join(",")} ${route.path}`,
    path: route.path,
    input: operation.input,
    params: route.params,
    query: route.query,
    ...(overrides ? { overrides } : {}),
    ...(inQuery ? { inQuery } : {}),
    parametersOnly: !route.body && !route.input,
  });
  const { params: _params, query: _query, ...unchanged } = rest;
  return {
    ...unchanged,
    ...derived,
    operation,
    input: route.input as RouteDef<P, Q, B>["input"],
    output: route.output as RouteDef<P, Q, B>["output"],
  } as RouteDef<P, Q, B>;
}

export function methodsOf(route: AnyRoute): Method[] {
  return Array.isArray(route.method) ? route.method : [route.method];
}

interface Compiled {
  route: AnyRoute;
  segments: { literal?: string; param?: string }[];
}

function compile(route: AnyRoute): Compiled {
  return {
    route,
    segments: route.path
      .split("/")
      .filter(Boolean)
      .map((segment) => {
        const param = /^\{(\w+)\}$/.exec(segment)?.[1];
        return param ? { param } : { literal: segment };
      }),
  };
}

/** Literal segments win over parameters, earliest first (`/executions/search` before `/executions/{id}`). */
function specificity(a: Compiled, b: Compiled): number {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i++) {
    const x = a.segments[i];
    const y = b.segments[i];
    if (!x || !y) return a.segments.length - b.segments.length;
    if (x.literal !== undefined && y.literal === undefined) return -1;
    if (x.literal === undefined && y.literal !== undefined) return 1;
  }
  return 0;
}

export interface Match {
  route: AnyRoute;
  params: Record<string, string>;
}

export class Router {
  readonly #compiled: Compiled[];

  constructor(readonly routes: readonly AnyRoute[]) {
    this.#compiled = routes.map(compile).sort(specificity);
  }

  /** The route for a method and a path (segments after the tenant), or why there is none. */
  match(method: string, segments: readonly string[]): Match | { allowed: Method[] } | undefined {
    const allowed = new Set<Method>();
    for (const candidate of this.#compiled) {
      if (candidate.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (const [index, segment] of candidate.segments.entries()) {
        const value = segments[index] as string;
        if (segment.literal !== undefined) {
          if (segment.literal !== value) {
            ok = false;
            break;
          }
        } else params[segment.param as string] = value;
      }
      if (!ok) continue;
      const methods = methodsOf(candidate.route);
      if (methods.includes(method as Method)) return { route: candidate.route, params };
      for (const m of methods) allowed.add(m);
    }
    return allowed.size > 0 ? { allowed: [...allowed] } : undefined;
  }
}
