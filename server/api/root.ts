// Every tRPC router, composed. The UI calls these through /api/trpc; API tokens work here too.

import {
  auditRouter,
  bindingsRouter,
  rolesRouter,
  serviceAccountsRouter,
  settingsRouter,
  teamRouter,
  tokensRouter,
} from "./routers/access";
import { accountRouter } from "./routers/account";
import { blueprintsRouter } from "./routers/blueprints";
import { consoleRouter, preferencesRouter } from "./routers/console";
import { dashboardRouter, executionListRouter } from "./routers/monitoring";
import { executionsRouter, flowsRouter, namespacesRouter, triggersRouter } from "./routers/orchestration";
import { executionInputsRouter, flowsBulkRouter, namespaceFilesRouter } from "./routers/workbench";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  team: teamRouter,
  roles: rolesRouter,
  bindings: bindingsRouter,
  serviceAccounts: serviceAccountsRouter,
  tokens: tokensRouter,
  settings: settingsRouter,
  audit: auditRouter,
  flows: flowsRouter,
  executions: executionsRouter,
  namespaces: namespacesRouter,
  triggers: triggersRouter,
  blueprints: blueprintsRouter,
  namespaceFiles: namespaceFilesRouter,
  flowsBulk: flowsBulkRouter,
  executionInputs: executionInputsRouter,
  console: consoleRouter,
  preferences: preferencesRouter,
  executionList: executionListRouter,
  dashboard: dashboardRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side calls (server components, tests) with a context made by createTRPCContext. */
export const createCaller = createCallerFactory(appRouter);
