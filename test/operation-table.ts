// What test/architecture.test.ts checks of the API: every REST route and tRPC procedure is made from an
// operation of the table (server/operations), save those listed as not converted yet.
import { appRouter } from "@/server/api/root";
import type { ProcedureMeta } from "@/server/api/trpc";
import { operations } from "@/server/operations";
import { methodsOf } from "@/server/rest/route";
import { routes } from "@/server/rest/routes";

/** `GET /flows/{namespace}` for each route that does not serve an operation of the table. */
export function routesOutsideTable(): string[] {
  const table = new Set(operations);
  return routes
    .filter((route) => !(route.operation && table.has(route.operation)))
    .map((route) => `${methodsOf(route).join(",")} ${route.path}`);
}

/** `flows.get` for each procedure not made from an operation of the table. */
export function proceduresOutsideTable(): string[] {
  const names = new Set(operations.map((operation) => operation.name));
  const procedures = (
    appRouter as unknown as { _def: { procedures: Record<string, { _def: { meta?: ProcedureMeta } }> } }
  )._def.procedures;
  return Object.entries(procedures)
    .filter(([, procedure]) => {
      const name = procedure._def.meta?.operation;
      return name === undefined || !names.has(name);
    })
    .map(([path]) => path);
}

/**
 * `GET /executions/search: kind` for each path or query parameter a route documents that its operation's
 * input would drop: a route without its own `input` mapping hands its parameters to the operation as they
 * are, and zod strips a key the operation's schema lacks, silently (a REST filter documented in OpenAPI
 * and ignored).
 */
export function routeParametersDropped(): string[] {
  const shapeKeys = (schema: unknown): string[] | undefined => {
    const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
    return shape ? Object.keys(shape) : undefined;
  };
  return routes.flatMap((route) => {
    if (!route.operation || route.input) return [];
    const accepted = shapeKeys(route.operation.input);
    if (!accepted) return [];
    const given = [...(shapeKeys(route.params) ?? []), ...(shapeKeys(route.query) ?? [])];
    return given
      .filter((key) => !accepted.includes(key))
      .map((key) => `${methodsOf(route).join(",")} ${route.path}: ${key}`);
  });
}
