import { duckdbPlugins } from "./duckdb";
import { mysqlPlugins } from "./mysql";
import { postgresPlugins } from "./postgresql";
import { sqlitePlugins } from "./sqlite";

/** Kestra's JDBC plugins: queries, copies and polling triggers on databases (see README.md). */
export const jdbcPlugins = [...postgresPlugins, ...mysqlPlugins, ...duckdbPlugins, ...sqlitePlugins];
