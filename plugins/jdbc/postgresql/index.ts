import { postgresCopyInPlugin, postgresCopyOutPlugin } from "./copy";
import { postgresQueriesPlugin, postgresQueryPlugin } from "./query";
import { postgresTriggerPlugin } from "./trigger";

/** Kestra's plugin-jdbc-postgres on node-postgres. */
export const postgresPlugins = [
  postgresQueryPlugin,
  postgresQueriesPlugin,
  postgresCopyInPlugin,
  postgresCopyOutPlugin,
  postgresTriggerPlugin,
];
