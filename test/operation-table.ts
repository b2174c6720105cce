// What test/architecture.test.ts checks of the API: every REST route and tRPC procedure is made from an
// operation of the table (server/operations), save those listed as not converted yet.
import { appRouter } from "@/server/api/root";
import type { ProcedureMeta } from "@/server/api/trpc";
import { operations } from "@/server/operations";
import { methodsOf } from "@/server/rest/route";
import { routes } from "@/server/rest/routes";
import { inputShape } from "@/server/rest/wire";

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

/**
 * `GET /flows/{namespace}/{flowId}: query revision` for each path parameter or query field a route writes
 * by hand that its operation's input already defines: the route's wire schema is derived from the input
 * (server/rest/wire.ts), and a field declared twice drifts (the REST `revision` once took numbers past
 * PostgreSQL's int4 that the input refused). A field whose wire form genuinely differs is an override,
 * with its reason (`wireOverride`), and is not listed; an override without a reason is.
 */
export function routeFieldsWrittenTwice(): string[] {
  return routes.flatMap((route) => {
    if (!route.operation || !route.wire) return [];
    const fields = Object.keys(inputShape(route.operation.input));
    const where = `${methodsOf(route).join(",")} ${route.path}`;
    const { declared, overrides } = route.wire;
    return [
      ...declared.params.filter((name) => fields.includes(name)).map((name) => `${where}: param ${name}`),
      ...declared.query.filter((name) => fields.includes(name)).map((name) => `${where}: query ${name}`),
      ...Object.entries(overrides)
        .filter(([, why]) => why.trim().length < 10)
        .map(([name]) => `${where}: override ${name} without a reason`),
    ];
  });
}

/** `POST /flows` for each route made from an operation without the wire declaration operationRoute gives. */
export function routesWithoutWire(): string[] {
  return routes
    .filter((route) => route.operation && !route.wire)
    .map((route) => `${methodsOf(route).join(",")} ${route.path}`);
}
