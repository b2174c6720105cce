// The whole REST API under /api/v1/{tenant}: served by app/api/v1/[tenant]/[[...path]]/route.ts,
// documented by /api/v1/openapi.json, enumerated by the isolation tests.
import { Router } from "../route";
import { administrationRoutes } from "./administration";
import { blueprintRoutes } from "./blueprints";
import { dependencyRoutes } from "./dependencies";
import { executionActionRoutes } from "./execution-actions";
import { executionInputRoutes } from "./execution-inputs";
import { executionRoutes, logRoutes } from "./executions";
import { executionBulkRoutes } from "./executions-bulk";
import { flowRoutes } from "./flows";
import { flowBulkRoutes } from "./flows-bulk";
import { actionRoutes, kestra2Routes } from "./kestra-2";
import { namespaceFileRoutes } from "./namespace-files";
import { namespaceRoutes } from "./namespaces";
import { triggerRoutes } from "./triggers";

export const routes = [
  ...flowRoutes,
  ...flowBulkRoutes,
  ...executionRoutes,
  ...executionActionRoutes,
  ...actionRoutes([...executionRoutes, ...executionActionRoutes]),
  ...kestra2Routes,
  ...executionInputRoutes,
  ...executionBulkRoutes,
  ...logRoutes,
  ...namespaceRoutes,
  ...namespaceFileRoutes,
  ...triggerRoutes,
  ...administrationRoutes,
  ...blueprintRoutes,
  ...dependencyRoutes,
];

export const router = new Router(routes);
