// Blueprints for the UI: made from the operation table (server/operations/blueprints.ts), which REST's
// /blueprints/community and /blueprints/custom serve too.
import { blueprintOperations } from "../../operations/blueprints";
import { routerOf } from "../from-operations";

export const blueprintsRouter = routerOf(blueprintOperations);
