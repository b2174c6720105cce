import { describe, expect, it } from "vitest";
import { adminQuery, createTestDatabase, useTestDatabase } from "./db";

describe("useTestDatabase", () => {
  const t = useTestDatabase();

  it("gives the file its own migrated database", async () => {
    expect(t.name).toMatch(/^cadenza_test_[0-9a-f]{12}$/);
    const tenant = await t.db.tenant.create({ data: { slug: "acme", name: "Acme" } });
    expect(await t.db.tenant.findUniqueOrThrow({ where: { slug: "acme" } })).toMatchObject({ id: tenant.id });
  });
});

describe("createTestDatabase", () => {
  it("isolates databases from each other and drops them", async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    try {
      expect(a.name).not.toBe(b.name);
      await a.db.tenant.create({ data: { slug: "only-in-a", name: "A" } });
      expect(await a.db.tenant.count()).toBe(1);
      expect(await b.db.tenant.count()).toBe(0);
    } finally {
      await a.drop();
      await b.drop();
    }
    const left = await adminQuery("select datname from pg_database where datname = any($1)", [
      [a.name, b.name],
    ]);
    expect(left.rowCount).toBe(0);
  });

  it("can leave the database unmigrated", async () => {
    const bare = await createTestDatabase({ migrate: false });
    try {
      const tables = await bare.db.$queryRaw<{ n: bigint }[]>`
        select count(*) as n from information_schema.tables where table_schema = 'public'`;
      expect(Number(tables[0]?.n)).toBe(0);
    } finally {
      await bare.drop();
    }
  });
});
