// Team, roles, bindings, service accounts, API tokens, settings and the audit log of a tenant: made from
// the operation table (server/operations/access.ts), which the REST API serves too.
import {
  auditOperations,
  bindingOperations,
  roleOperations,
  serviceAccountOperations,
  settingOperations,
  teamOperations,
  tokenOperations,
} from "../../operations/access";
import { routerOf } from "../from-operations";

export const teamRouter = routerOf(teamOperations);
export const rolesRouter = routerOf(roleOperations);
export const bindingsRouter = routerOf(bindingOperations);
export const serviceAccountsRouter = routerOf(serviceAccountOperations);
export const tokensRouter = routerOf(tokenOperations);
export const settingsRouter = routerOf(settingOperations);
export const auditRouter = routerOf(auditOperations);
