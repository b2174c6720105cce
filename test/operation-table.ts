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
