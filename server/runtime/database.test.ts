import { describe, expect, inject, it } from "vitest";
import { adminQuery, databaseUrl } from "@/test/db";
import { checkDatabase, describeUrl, openDatabase } from "./database";

describe("describeUrl", () => {
  it("shows where, never who", () => {
    expect(describeUrl("postgresql://alice:s3cret@db.example.com:6543/cadenza")).toBe(
      "db.example.com:6543/cadenza",
    );
    expect(describeUrl("postgres://db/cadenza")).toBe("db:5432/cadenza");
  });
});

describe("checkDatabase", () => {
  it("explains an unreachable server", async () => {
    await expect(checkDatabase("postgresql://u:p@127.0.0.1:1/x")).rejects.toThrow(
      "Cannot reach PostgreSQL at 127.0.0.1:1/x (ECONNREFUSED): start it or fix DATABASE_URL, or unset it to use the embedded PostgreSQL.",
    );
  });

  it("explains an unknown host", async () => {
    await expect(checkDatabase("postgresql://u:p@no-such-host.invalid:5432/x")).rejects.toThrow(
      /^Cannot reach PostgreSQL at no-such-host\.invalid:5432\/x \((ENOTFOUND|EAI_AGAIN)\)/,
    );
  });

  it.runIf(inject("databaseKind") === "embedded")("explains a refused login", async () => {
    const url = new URL(databaseUrl("postgres"));
    url.password = "wrong-password";
    await expect(checkDatabase(url.toString())).rejects.toThrow(
      /^PostgreSQL at 127\.0\.0\.1:\d+\/postgres refused the login \(password authentication failed for user "postgres"\): fix DATABASE_URL/,
    );
  });

  it("creates a missing database only when asked to", async () => {
    const name = `cadenza_test_missing_${Date.now()}`;
    await expect(checkDatabase(databaseUrl(name))).rejects.toThrow(`database "${name}" does not exist`);
    const progress: string[] = [];
    await checkDatabase(databaseUrl(name), { createIfMissing: true, onProgress: (m) => progress.push(m) });
    expect(progress).toEqual([`Created database ${name} on ${describeUrl(databaseUrl(name))}.`]);
    await adminQuery(`drop database "${name}"`);
  });
});

describe("openDatabase", () => {
  it("uses DATABASE_URL as is when set", async () => {
    const handle = await openDatabase({ databaseUrl: databaseUrl("postgres"), dataDir: "/nonexistent" });
    expect(handle.kind).toBe("external");
    expect(handle.url).toBe(databaseUrl("postgres"));
    await handle.stop();
  });
});
