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
