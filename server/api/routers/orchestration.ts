// Flows, executions, namespaces, KV, secrets and triggers of a tenant, for the UI: made from the operation
// table (server/operations), which the REST API serves under Kestra's paths too.
import { executionOperations } from "../../operations/executions";
import { flowOperations } from "../../operations/flows";
import { namespaceOperations } from "../../operations/namespaces";
import { triggerOperations } from "../../operations/triggers";
import { routerOf } from "../from-operations";

export const flowsRouter = routerOf(flowOperations, ["ofNamespace"]);

export const executionsRouter = routerOf(executionOperations, [
  "evaluate",
  "file",
  "filePreview",
  "follow",
  "followLogs",
  "delete",
]);

export const namespacesRouter = routerOf(namespaceOperations, ["get"]);

export const triggersRouter = routerOf(triggerOperations, ["ofFlow", "getBackfill"]);
