// A fresh, migrated database per test file, on the server test/global-setup.ts provides (a copy of its
// migrated template database).
//
//   const t = useTestDatabase();
//   it("...", async () => { await t.db.tenant.create(...) });
//
// or, for full control, `const t = await createTestDatabase()` ... `await t.drop()`.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { createPrismaClient, type PrismaClient } from "../server/db/client";

export interface TestDatabase {
  /** Database name, `cadenza_test_<random>`. */
  name: string;
  url: string;
  /** A Prisma client on it (disconnected by drop()). */
  db: PrismaClient;
  /** Disconnects and drops the database. */
  drop: () => Promise<void>;
}

/** The URL of the test server's admin database (to create or drop databases yourself). */
export function adminUrl(): string {
  return inject("databaseAdminUrl");
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `cadenza_test_${randomBytes(6).toString("hex")}`;
  // Migrated: a copy of the run's template (test/global-setup.ts), which has every migration applied and
  // recorded in _prisma_migrations, as applyMigrations would leave this database.
  if (options.migrate === false) await adminQuery(`create database "${name}"`);
  else await adminQuery(`create database "${name}" template "${inject("databaseTemplate")}"`);
  const url = databaseUrl(name);
  const db = createPrismaClient(url);
  // Connected and its query engine loaded before the tests: a cold client's first query takes seconds on
  // a loaded machine, which made tests of code with its own deadline (the health check's 3 s) flaky.
  try {
    await db.$queryRaw`select 1`;
  } catch (error) {
    await db.$disconnect();
    await adminQuery(`drop database if exists "${name}" with (force)`);
    throw error;
  }
  let dropped: Promise<void> | undefined;
  return {
    name,
    url,
    db,
    drop: () => {
      dropped ??= (async () => {
        await db.$disconnect();
        await adminQuery(`drop database if exists "${name}" with (force)`);
      })();
      return dropped;
    },
  };
}

/** Registers beforeAll/afterAll hooks for a database of this file; read its fields inside tests. */
export function useTestDatabase(options: { migrate?: boolean } = {}): TestDatabase {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase(options);
  });
  afterAll(async () => {
    await current?.drop();
  });
  const get = (): TestDatabase => {
    if (!current) throw new Error("useTestDatabase(): its database exists only inside tests and hooks");
    return current;
  };
  return {
    get name() {
      return get().name;
    },
    get url() {
      return get().url;
    },
    get db() {
      return get().db;
    },
    drop: () => get().drop(),
  };
}

/** Runs one statement on the admin database. */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  params: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await client.query<R>(sql, params);
  } finally {
    await client.end();
  }
}
