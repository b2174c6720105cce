import { mysqlQueriesPlugin, mysqlQueryPlugin } from "./query";
import { mysqlTriggerPlugin } from "./trigger";

/** Kestra's plugin-jdbc-mysql on mysql2, for MySQL and MariaDB. */
export const mysqlPlugins = [mysqlQueryPlugin, mysqlQueriesPlugin, mysqlTriggerPlugin];
