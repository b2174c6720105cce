// The executions list, its bulk operations and the dashboard, for the UI: made from the operation table
// (server/operations/execution-list.ts).
import { dashboardOperations, executionListOperations } from "../../operations/execution-list";
import { routerOf } from "../from-operations";

export const executionListRouter = routerOf(executionListOperations);
export const dashboardRouter = routerOf(dashboardOperations);
