/** The JDBC URL the PostgreSQL tasks' docs and examples show. */
export const PG_URL = "jdbc:postgresql://127.0.0.1:5432/shop";
