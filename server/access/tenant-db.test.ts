import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/db";
import { literalPrefix } from "./authorize";
import { forTenant, scopeArgs, TenantScopeError } from "./tenant-db";

describe("forTenant", () => {
  const t = useTestDatabase();

  async function seed() {
    await t.db.tenant.createMany({
      data: [
        { id: "ta", slug: "ta", name: "A" },
        { id: "tb", slug: "tb", name: "B" },
      ],
    });
    await t.db.namespace.createMany({
      data: [
        { tenantId: "ta", name: "a_b.x" },
        { tenantId: "tb", name: "a_b.x" },
        { tenantId: "tb", name: "axb.y" },
      ],
    });
    await t.db.kvEntry.createMany({
      data: [
        { tenantId: "ta", namespace: "a_b.x", key: "k", value: "A's value" },
        { tenantId: "tb", namespace: "a_b.x", key: "k", value: "B's value" },
      ],
    });
  }

  it("adds the tenant to every query, even one that forgets it", async () => {
    await seed();
    const a = forTenant(t.db, "ta");
    expect((await a.kvEntry.findMany()).map((e) => e.value)).toEqual(["A's value"]);
    expect(await a.kvEntry.count()).toBe(1);
    // A unique lookup naming the other tenant's key finds nothing...
    expect(
      await a.kvEntry.findUnique({
        where: { tenantId_namespace_key: { tenantId: "tb", namespace: "a_b.x", key: "k" } },
      }),
    ).toBeNull();
    // ...and updates or deletes of it touch nothing.
    expect(
      (await a.kvEntry.updateMany({ where: { key: "k" }, data: { description: "changed by A" } })).count,
    ).toBe(1);
    expect((await t.db.kvEntry.findFirst({ where: { tenantId: "tb" } }))?.description).toBeNull();
    await expect(
      a.kvEntry.delete({
        where: { tenantId_namespace_key: { tenantId: "tb", namespace: "a_b.x", key: "k" } },
      }),
    ).rejects.toThrow();
    expect(await t.db.kvEntry.count({ where: { tenantId: "tb" } })).toBe(1);
  });

  it("refuses to write or read another tenant's id explicitly", async () => {
    const a = forTenant(t.db, "ta");
    await expect(a.namespace.create({ data: { tenantId: "tb", name: "evil" } })).rejects.toThrow(
      TenantScopeError,
    );
    await expect(a.namespace.findMany({ where: { tenantId: "tb" } })).rejects.toThrow(TenantScopeError);
    await expect(
      a.namespace.updateMany({ where: {}, data: { tenantId: "tb" } as { description?: string } }),
    ).rejects.toThrow(TenantScopeError);
    expect(() => scopeArgs("User", "findMany", {}, "ta")).not.toThrow();
  });

  it("keeps the scope inside transactions", async () => {
    const a = forTenant(t.db, "ta");
    const names = await a.$transaction(async (tx) => {
      await tx.namespace.create({ data: { tenantId: "ta", name: "made.in.tx" } });
      return (await tx.namespace.findMany({ orderBy: { name: "asc" } })).map(
        (n) => `${n.tenantId}/${n.name}`,
      );
    });
    expect(names).toEqual(["ta/a_b.x", "ta/made.in.tx"]);
  });

  it("gives SQL only inside a transaction, on its connection: it commits and rolls back with the models", async () => {
    const a = forTenant(t.db, "ta");
    expect(a.$sql).toBeUndefined();
    await expect(
      a.$transaction(async (tx) => {
        await tx.namespace.create({ data: { tenantId: "ta", name: "both.or.none" } });
        const sql = tx.$sql;
        if (!sql) throw new Error("no $sql in a transaction");
        const inserted = await sql.query("insert into namespaces (tenant_id, name) values ($1, $2)", [
          sql.tenantId,
          "both.or.none.sql",
        ]);
        expect(inserted.rowCount).toBe(1);
        // The same connection: the SQL sees the model's uncommitted row, and the models see the SQL's.
        const seen = await sql.query("select name from namespaces where tenant_id = $1 and name like $2", [
          "ta",
          "both.or.none%",
        ]);
        expect(seen.rows.map((r) => r.name).sort()).toEqual(["both.or.none", "both.or.none.sql"]);
        expect(await tx.namespace.count({ where: { name: { startsWith: "both.or.none" } } })).toBe(2);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await a.namespace.count({ where: { name: { startsWith: "both.or.none" } } })).toBe(0);
  });

  it("exposes only tenant-scoped models", () => {
    const a = forTenant(t.db, "ta") as unknown as Record<string, unknown>;
    expect(a.user).toBeUndefined();
    expect(a.tenant).toBeUndefined();
    expect(a.rateLimit).toBeUndefined();
    expect(a.$queryRaw).toBeUndefined();
  });

  it("matches namespace prefixes literally (Prisma does not escape LIKE wildcards)", async () => {
    const b = forTenant(t.db, "tb");
    const rows = await b.namespace.findMany({ where: { name: { startsWith: literalPrefix("a_b.") } } });
    expect(rows.map((r) => r.name)).toEqual(["a_b.x"]);
  });
});
