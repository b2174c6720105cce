// The whole REST API under /api/v1/{tenant}: served by app/api/v1/[tenant]/[[...path]]/route.ts,
// documented by /api/v1/openapi.json, enumerated by the isolation tests.
import { Router } from "../route";
import { administrationRoutes } from "./administration";
import { executionRoutes, logRoutes } from "./executions";
import { executionBulkRoutes } from "./executions-bulk";
import { flowRoutes } from "./flows";
import { namespaceRoutes } from "./namespaces";
import { triggerRoutes } from "./triggers";

export const routes = [
  ...flowRoutes,
  ...executionRoutes,
  ...executionBulkRoutes,
  ...logRoutes,
  ...namespaceRoutes,
  ...triggerRoutes,
  ...administrationRoutes,
];

export const router = new Router(routes);
