// The operation table: every operation of the API, by domain. tRPC routers (server/api/routers) and REST
// routes (server/rest/routes) are made from these; test/access/operations-rbac.test.ts enumerates them
// against every built-in role, and test/architecture.test.ts refuses a route or procedure made elsewhere.
import {
  auditOperations,
  bindingOperations,
  roleOperations,
  serviceAccountOperations,
  settingOperations,
  teamOperations,
  tokenOperations,
} from "./access";
import { blueprintOperations } from "./blueprints";
import { consoleOperations } from "./console";
import { executionActionOperations } from "./execution-actions";
import { executionInputOperations } from "./execution-inputs";
import { dashboardOperations, executionListOperations } from "./execution-list";
import { executionOperations } from "./executions";
import { flowOperations } from "./flows";
import { flowBulkOperations } from "./flows-bulk";
import { namespaceFileOperations } from "./namespace-files";
import { namespaceOperations } from "./namespaces";
import type { AnyOperation } from "./operation";
import { triggerOperations } from "./triggers";

export { authorizeOperation, execute, invoke } from "./adapter";
export type {
  AnyOperation,
  NamespaceResolver,
  PermissionRule,
  TenantOperation,
  Transport,
} from "./operation";
export { defineOperation, fromInput, fromRefs, tenantWide } from "./operation";
export { fromExecution, fromFlowSource } from "./resolvers";

export const operationGroups = {
  flows: flowOperations,
  flowsBulk: flowBulkOperations,
  executions: executionOperations,
  executionInputs: executionInputOperations,
  executionActions: executionActionOperations,
  namespaces: namespaceOperations,
  namespaceFiles: namespaceFileOperations,
  triggers: triggerOperations,
  team: teamOperations,
  roles: roleOperations,
  bindings: bindingOperations,
  serviceAccounts: serviceAccountOperations,
  tokens: tokenOperations,
  settings: settingOperations,
  audit: auditOperations,
  blueprints: blueprintOperations,
  console: consoleOperations,
  executionList: executionListOperations,
  dashboard: dashboardOperations,
} satisfies Record<string, Record<string, AnyOperation>>;

/** Every operation, once. */
export const operations: readonly AnyOperation[] = Object.values(operationGroups).flatMap((group) =>
  Object.values(group),
);
