// What a test sees when it looks for a secret "everywhere": every row of every table of every schema
// of the test database (as JSON), the files of the local storage, and the forms a secret takes once
// encoded. Used by test/api/secrets.test.ts and test/security/masking-dump.test.ts.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";

type Query = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

/** Every row of every table of every schema, one JSON object a line, under a `-- schema.table` header. */
export async function dumpDatabase(query: Query): Promise<string> {
  const tables = await query<{ schema: string; name: string }>(
    `select table_schema as schema, table_name as name from information_schema.tables
     where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
  );
  expect(tables.map((t) => t.name)).toEqual(
    expect.arrayContaining(["secrets", "log_entries", "executions", "task_runs", "kv_entries", "audit_logs"]),
  );
  const parts: string[] = [];
  for (const table of tables) {
    const rows = await query<{ row: string }>(
      `select row_to_json(t)::text as row from "${table.schema}"."${table.name}" t`,
    );
    parts.push(`-- ${table.schema}.${table.name}\n${rows.map((r) => r.row).join("\n")}`);
  }
  return parts.join("\n");
}

/** Every file under a directory (the local internal storage), as `-- path` and its content as text. */
export async function dumpFiles(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    parts.push(`-- ${file}\n${await readFile(file, "utf8")}`);
  }
  return parts.join("\n");
}

/** A secret as it is, in base64 (standard, URL-safe, unpadded), hex, URL-encoded and JSON-escaped. */
export function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  return [
    ...new Set([
      value,
      bytes.toString("base64"),
      bytes.toString("base64").replace(/=+$/, ""),
      bytes.toString("base64url"),
      bytes.toString("hex"),
      encodeURIComponent(value),
      encodeURIComponent(value).replace(/%20/g, "+"),
      JSON.stringify(value).slice(1, -1),
    ]),
  ];
}
