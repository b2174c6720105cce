// Which errors mean "the database is down or restarting" (503 and a queue that waits) rather than a bug
// (500): the shapes seen in the outage test, from node-postgres, Prisma's driver adapter and our wrappers.
import { describe, expect, it } from "vitest";
import { describeError } from "@/server/services/errors";
import { isDatabaseUnavailable, MaskUnavailableError } from "@/worker/embedded";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it("recognises a server that is down, restarting or gone mid-statement", () => {
    expect(isDatabaseUnavailable(withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("read ECONNRESET", "ECONNRESET"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(
      isDatabaseUnavailable(withCode("terminating connection due to administrator command", "57P01")),
    ).toBe(true);
    expect(isDatabaseUnavailable(withCode("the database system is starting up", "57P03"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("connection failure", "08006"))).toBe(true);
  });

  it("looks through Prisma's driver adapter error and our own wrappers", () => {
    const prisma = Object.assign(new Error("Raw query failed. Can't reach database server"), {
      code: "P2010",
      meta: {
        driverAdapterError: Object.assign(new Error("DatabaseNotReachable"), {
          cause: { kind: "DatabaseNotReachable" },
        }),
      },
    });
    expect(isDatabaseUnavailable(prisma)).toBe(true);
    expect(
      isDatabaseUnavailable(new MaskUnavailableError(new Error("Connection terminated unexpectedly"))),
    ).toBe(true);
  });

  it("leaves bugs and bad input alone", () => {
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable(withCode("duplicate key value violates unique constraint", "23505"))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(withCode("column does not exist", "42703"))).toBe(false);
    expect(isDatabaseUnavailable(new MaskUnavailableError(new Error("no key")))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });

  it("makes the API answer 503 with Retry-After, and a bug still 500", () => {
    expect(describeError(withCode("connect ECONNREFUSED", "ECONNREFUSED"))).toMatchObject({
      status: 503,
      retryAfterSeconds: 5,
    });
    expect(describeError(new Error("boom"))).toMatchObject({ status: 500, unexpected: true });
  });
});

describe("a value the database cannot hold", () => {
  // The shapes node-postgres and Prisma 7's driver adapter gave for `2147483648` into an int4 column.
  const adapter = (prismaCode: string) =>
    Object.assign(new Error("Invalid `db.execution.findFirst()` invocation"), {
      code: prismaCode,
      meta: {
        driverAdapterError: Object.assign(new Error("DriverAdapterError"), {
          cause: { originalCode: "22003", kind: "ValueOutOfRange" },
        }),
      },
    });

  it("is the caller's input: 400 saying what kind of value, never a 500", () => {
    for (const error of [
      withCode('value "2147483648" is out of range for type integer', "22003"),
      withCode('invalid input syntax for type integer: "abc"', "22P02"),
      adapter("P2020"),
      adapter("P2010"),
    ]) {
      const described = describeError(error);
      expect(described.status).toBe(400);
      expect(described.message).toMatch(/out of range for what is stored/);
      expect(described.unexpected).toBeUndefined();
    }
    // Another database error is still a bug.
    expect(describeError(withCode("column does not exist", "42703"))).toMatchObject({ status: 500 });
  });
});
