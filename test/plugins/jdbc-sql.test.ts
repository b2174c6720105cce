import { describe, expect, it } from "vitest";
import { parseJdbcUrl } from "@/plugins/jdbc/connect";
import { bindNamed, MYSQL, POSTGRES, splitStatements } from "@/plugins/jdbc/sql";
import { decimal } from "@/plugins/jdbc/values";

const pg = (sql: string, parameters: Record<string, unknown>) =>
  bindNamed(sql, parameters, (i) => `$${i}`, POSTGRES);

describe("JDBC SQL scanning", () => {
  it("binds :name outside strings, identifiers, comments, casts and $$ bodies", () => {
    expect(
      pg("select :a, ':a', \":a\", x::int, $$ :a $$ -- :a\nfrom t where y = :b or z = :a", { a: 1, b: 2 }),
    ).toEqual({
      text: "select $1, ':a', \":a\", x::int, $$ :a $$ -- :a\nfrom t where y = $2 or z = $3",
      values: [1, 2, 1],
    });
    expect(() => pg("select :missing", { a: 1 })).toThrow(
      "sql uses the parameter :missing, which parameters does not give",
    );
    expect(pg("select :a", {})).toEqual({ text: "select :a", values: [] });
  });

  it("reads backslashes as MySQL and PostgreSQL do", () => {
    // PostgreSQL: 'C:\' is a whole string; E'...' escapes. MySQL: a backslash escapes the quote.
    expect(splitStatements("select 'C:\\'; select E'it\\'s; here'", POSTGRES)).toEqual([
      "select 'C:\\'",
      "select E'it\\'s; here'",
    ]);
    expect(splitStatements("select 'it\\'s; here'; select 2;", MYSQL)).toEqual([
      "select 'it\\'s; here'",
      "select 2",
    ]);
    expect(splitStatements("select 1; /* only a comment; */ ; -- and this\n", POSTGRES)).toEqual([
      "select 1",
    ]);
  });

  it("parses JDBC URLs and refuses what is not one", () => {
    const target = parseJdbcUrl(
      "jdbc:postgresql://db.example.com/shop?user=ada&sslmode=require",
      ["postgresql"],
      5432,
    );
    expect([target.host, target.port, target.database, target.params.get("user")]).toEqual([
      "db.example.com",
      5432,
      "shop",
      "ada",
    ]);
    expect(parseJdbcUrl("jdbc:postgresql:shop", ["postgresql"], 5432)).toMatchObject({
      host: "localhost",
      database: "shop",
    });
    expect(parseJdbcUrl("jdbc:mysql://[::1]:3307/x", ["mysql"], 3306)).toMatchObject({
      host: "::1",
      port: 3307,
    });
    expect(() => parseJdbcUrl("jdbc:mysql://a,b/x", ["mysql"], 3306)).toThrow(
      "several hosts (a,b) are not supported",
    );
    expect(() => parseJdbcUrl("jdbc:oracle:thin:@x", ["postgresql"], 5432)).toThrow("url must be a JDBC URL");
  });

  it("keeps exact decimals as numbers and the others as text", () => {
    expect([
      decimal("12.50"),
      decimal("-7"),
      decimal("9007199254740993"),
      decimal("0.1234567890123456789"),
    ]).toEqual([12.5, -7, "9007199254740993", "0.1234567890123456789"]);
  });
});
