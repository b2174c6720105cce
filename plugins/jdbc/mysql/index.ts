import { defineJdbcPlugins } from "../define";
import { MYSQL } from "../sql";
import { inTransaction, runStatement, withMysql } from "./client";

const { query, queries, trigger } = defineJdbcPlugins({
  pkg: "mysql",
  // Kestra's plugin-jdbc-mariadb has the same tasks under its own names.
  aliasPkgs: ["mariadb"],
  product: "MySQL",
  exampleUrl: "jdbc:mysql://127.0.0.1:3306/shop",
  secretPrefix: "MYSQL",
  valueNotes: [
    "Works with MySQL and MariaDB (`jdbc:mysql://` or `jdbc:mariadb://`).",
    "",
    "Values: BIGINT and DECIMAL are numbers when exact, else strings; DATETIME and TIMESTAMP are ISO local",
    "text in the session's time zone (UTC unless `timeZoneId`), DATE `2024-05-01`; binary columns are base64;",
    "JSON columns are parsed (MariaDB stores JSON as text: it stays text).",
  ],
  splitNote: "not inside quotes or comments; MySQL commits DDL statements at once",
  exampleTable: "id int auto_increment primary key, name text",
  dialect: MYSQL,
  client: { withClient: withMysql, runStatement, inTransaction },
});

/** Kestra's plugin-jdbc-mysql on mysql2, for MySQL and MariaDB. */
export const mysqlPlugins = [query, queries, trigger];
