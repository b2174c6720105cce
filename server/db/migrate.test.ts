import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/test/db";
import { migrationsDir, schemaPath } from "../paths";
import {
  applyMigrations,
  createMigration,
  loadMigrations,
  pendingMigrations,
  snapshotFileName,
} from "./migrate";

describe("applyMigrations", () => {
  it("applies every migration once, records it, and is a no-op the second time", async () => {
    const t = await createTestDatabase({ migrate: false });
    try {
      const all = (await loadMigrations(migrationsDir)).migrationDirectories.map((m) => m.path);
      expect(all.length).toBeGreaterThan(0);
      expect(await pendingMigrations(t.url, migrationsDir)).toEqual(all);

      expect(await applyMigrations(t.url, migrationsDir)).toEqual(all);
      expect(await pendingMigrations(t.url, migrationsDir)).toEqual([]);
      const recorded = await t.db.$queryRaw<{ migration_name: string }[]>`
        select migration_name from _prisma_migrations where finished_at is not null order by migration_name`;
      expect(recorded.map((r) => r.migration_name)).toEqual(all);

      expect(await applyMigrations(t.url, migrationsDir)).toEqual([]);
      const count = await t.db.$queryRaw<{ n: bigint }[]>`select count(*) as n from _prisma_migrations`;
      expect(Number(count[0]?.n)).toBe(all.length);
    } finally {
      await t.drop();
    }
  });

  it("creates the tables and indexes the UI's queries rely on", async () => {
    const t = await createTestDatabase();
    try {
      const indexes = await t.db.$queryRaw<{ indexdef: string }[]>`
        select indexdef from pg_indexes where tablename in ('executions', 'log_entries', 'trigger_states')`;
      const defs = indexes.map((i) => i.indexdef).join("\n");
      expect(defs).toContain("(tenant_id, namespace, flow_id, state, start_date DESC)");
      // The executions list's keyset (with the columns its aggregates and its kind filter read), states,
      // namespace prefixes.
      expect(defs).toContain(
        "(tenant_id, start_date DESC, id DESC, state, namespace, flow_id, end_date, kind)",
      );
      expect(defs).toContain("(tenant_id, state, start_date DESC)");
      expect(defs).toContain("(tenant_id, namespace text_pattern_ops, start_date DESC)");
      expect(defs).toContain("USING gin (labels jsonb_path_ops)");
      // An execution's logs by keyset window, and by minimum level (the Logs tab's first screen and filters).
      expect(defs).toContain('(execution_id, "timestamp", id)');
      expect(defs).toContain('(execution_id, level, "timestamp", id)');
      // Text search in an execution's logs: trigrams of message and task id, keyed by execution.
      expect(defs).toContain("USING gin (execution_id, message gin_trgm_ops, task_id gin_trgm_ops)");
      expect(defs).toMatch(
        /UNIQUE INDEX trigger_states_pkey .*\(tenant_id, namespace, flow_id, trigger_id\)/,
      );
    } finally {
      await t.drop();
    }
  });

  it("lets concurrent callers apply each migration exactly once", async () => {
    const t = await createTestDatabase({ migrate: false });
    try {
      const [a, b] = await Promise.all([
        applyMigrations(t.url, migrationsDir),
        applyMigrations(t.url, migrationsDir),
      ]);
      const all = (await loadMigrations(migrationsDir)).migrationDirectories.map((m) => m.path);
      expect([...a, ...b].sort()).toEqual(all);
    } finally {
      await t.drop();
    }
  });

  it("stops before the log search index when the extensions may not be created, and applies it once allowed", async () => {
    // The database's owner, without CREATE on it once the earlier migrations are in (as a restricted
    // hosted PostgreSQL would be): CREATE EXTENSION pg_trgm is refused.
    const t = await createTestDatabase({ migrate: false });
    const role = `${t.name}_owner`;
    const dir = await mkdtemp(path.join(os.tmpdir(), "cadenza-migrations-"));
    const admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    try {
      await admin.query(`create role "${role}" login password 'pw'`);
      await admin.query(`alter database "${t.name}" owner to "${role}"`);
      await admin.query(`alter schema public owner to "${role}"`);
      const url = new URL(t.url);
      url.username = role;
      url.password = "pw";
      const all = (await loadMigrations(migrationsDir)).migrationDirectories.map((m) => m.path);
      const search = all.find((m) => m.endsWith("_log_text_search")) ?? "";
      await cp(migrationsDir, dir, { recursive: true });
      for (const later of all.slice(all.indexOf(search)))
        await rm(path.join(dir, later), { recursive: true });
      await applyMigrations(url.toString(), dir);
      await admin.query(`revoke create on database "${t.name}" from "${role}"`);

      await expect(applyMigrations(url.toString(), migrationsDir)).rejects.toThrow(
        /^Migration failed: .*permission denied to create extension "pg_trgm"/,
      );
      const extensions = await admin.query(
        "select extname from pg_extension where extname in ('pg_trgm', 'btree_gin')",
      );
      expect(extensions.rows).toEqual([]);
      const index = await admin.query(
        "select 1 from pg_indexes where indexname = 'log_entries_execution_id_message_task_id_idx'",
      );
      expect(index.rows).toEqual([]);
      expect(await pendingMigrations(t.url, migrationsDir)).toContain(search);

      // Prisma keeps a failed migration as failed (P3009) until it is marked rolled back, as
      // `prisma migrate resolve --rolled-back` does; then, allowed, the next start applies it.
      await expect(applyMigrations(url.toString(), migrationsDir)).rejects.toThrow(/failed migrations/);
      await admin.query(
        "update _prisma_migrations set rolled_back_at = now() where migration_name = $1 and finished_at is null",
        [search],
      );
      await admin.query(`grant create on database "${t.name}" to "${role}"`);
      expect(await applyMigrations(url.toString(), migrationsDir)).toContain(search);
      expect(await pendingMigrations(t.url, migrationsDir)).toEqual([]);
    } finally {
      await admin.end();
      await t.drop();
      await rm(dir, { recursive: true, force: true });
      const cleanup = new pg.Client({ connectionString: t.url.replace(`/${t.name}`, "/postgres") });
      await cleanup.connect();
      await cleanup.query(`drop role if exists "${role}"`).finally(() => cleanup.end());
    }
  });

  it("reports a failing migration as one line", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cadenza-migrations-"));
    const t = await createTestDatabase({ migrate: false });
    try {
      await cp(migrationsDir, dir, { recursive: true });
      const broken = path.join(dir, "29990101000000_broken");
      await cp(path.join(dir, (await loadMigrations(dir)).migrationDirectories[0]?.path ?? ""), broken, {
        recursive: true,
      });
      await writeFile(path.join(broken, "migration.sql"), "alter table no_such_table add column x int;\n");
      await expect(applyMigrations(t.url, dir)).rejects.toThrow(/^Migration failed: .*no_such_table[^\n]*$/);
    } finally {
      await t.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("createMigration", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  async function tempDir() {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cadenza-new-migration-"));
    dirs.push(dir);
    return dir;
  }

  it("finds the committed migrations in step with prisma/schema.prisma", async () => {
    // Fails when schema.prisma was edited without `npm run db:new -- NAME`.
    const dir = await tempDir();
    await cp(migrationsDir, dir, { recursive: true });
    expect(await createMigration({ name: "drift", schemaPath, migrationsDir: dir })).toEqual({
      status: "unchanged",
    });
  });

  it("writes the first migration from an empty database, then only the difference", async () => {
    const dir = await tempDir();
    const schema = path.join(dir, "schema.prisma");
    const base = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel Thing {\n  id String @id\n}\n';
    await writeFile(schema, base);
    const migrations = path.join(dir, "migrations");

    const first = await createMigration({
      name: "Init things!",
      schemaPath: schema,
      migrationsDir: migrations,
      now: new Date("2030-01-02T03:04:05Z"),
    });
    expect(first).toMatchObject({ status: "created", name: "20300102030405_init_things" });
    if (first.status !== "created") throw new Error("unreachable");
    expect(first.sql).toContain('CREATE TABLE "Thing"');
    expect(await readFile(path.join(first.dir, snapshotFileName), "utf8")).toBe(base);
    expect(await readFile(path.join(migrations, "migration_lock.toml"), "utf8")).toContain(
      'provider = "postgresql"',
    );

    expect(await createMigration({ name: "again", schemaPath: schema, migrationsDir: migrations })).toEqual({
      status: "unchanged",
    });

    await writeFile(schema, base.replace("id String @id", "id String @id\n  name String?"));
    const second = await createMigration({
      name: "add_name",
      schemaPath: schema,
      migrationsDir: migrations,
      now: new Date("2030-01-02T03:04:05Z"), // same second: the name must still sort after the first
    });
    expect(second).toMatchObject({ status: "created", name: "20300102030406_add_name" });
    if (second.status !== "created") throw new Error("unreachable");
    expect(second.sql).toContain('ALTER TABLE "Thing" ADD COLUMN     "name" TEXT');
    expect(second.sql).not.toContain("CREATE TABLE");
  });

  it("refuses a name with no letters or digits", async () => {
    const dir = await tempDir();
    await expect(createMigration({ name: "--", schemaPath, migrationsDir: dir })).rejects.toThrow(
      /Invalid migration name/,
    );
  });

  it("asks for the snapshot when the last migration has none", async () => {
    const dir = await tempDir();
    await cp(migrationsDir, dir, { recursive: true });
    const last = (await loadMigrations(dir)).migrationDirectories.at(-1)?.path ?? "";
    await rm(path.join(dir, last, snapshotFileName));
    await expect(createMigration({ name: "x", schemaPath, migrationsDir: dir })).rejects.toThrow(
      `The last migration, ${last}, has no ${snapshotFileName}`,
    );
  });
});
