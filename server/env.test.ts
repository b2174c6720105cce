import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("applies the defaults", () => {
    expect(parseEnv({})).toEqual({
      NODE_ENV: "development",
      PORT: 3000,
      CADENZA_DATA_DIR: path.resolve(".data"),
      CADENZA_WORKER_CONCURRENCY: 10,
      CADENZA_RETENTION_DAYS: 30,
      CADENZA_INLINE_TASKS: true,
    });
  });

  it("treats empty variables as unset", () => {
    expect(parseEnv({ PORT: "", DATABASE_URL: "", CADENZA_DATA_DIR: "" })).toEqual(parseEnv({}));
  });

  it("parses and converts the values it knows", () => {
    const env = parseEnv({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://cadenza:secret@db.internal:5433/cadenza",
      HOST: "127.0.0.1",
      PORT: "8080",
      CADENZA_DATA_DIR: "/var/lib/cadenza",
      AUTH_SECRET: "0123456789abcdef0123",
      AUTH_TRUST_HOST: "1",
      CADENZA_WORKER_CONCURRENCY: "4",
      CADENZA_RETENTION_DAYS: "7",
      CADENZA_INLINE_TASKS: "false",
      UNRELATED: "ignored",
    });
    expect(env).toEqual({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://cadenza:secret@db.internal:5433/cadenza",
      HOST: "127.0.0.1",
      PORT: 8080,
      CADENZA_DATA_DIR: "/var/lib/cadenza",
      AUTH_SECRET: "0123456789abcdef0123",
      AUTH_TRUST_HOST: true,
      CADENZA_WORKER_CONCURRENCY: 4,
      CADENZA_RETENTION_DAYS: 7,
      CADENZA_INLINE_TASKS: false,
    });
  });

  it("accepts both postgres:// and postgresql:// URLs", () => {
    expect(parseEnv({ DATABASE_URL: "postgres://u@h/db" }).DATABASE_URL).toBe("postgres://u@h/db");
  });

  it("lists every problem in one line", () => {
    const attempt = () =>
      parseEnv({ PORT: "http", DATABASE_URL: "mysql://root@localhost/db", NODE_ENV: "prod" });
    expect(attempt).toThrow(EnvError);
    expect(attempt).toThrow(
      'Invalid environment: NODE_ENV must be development, test or production (got "prod"); ' +
        "DATABASE_URL must be a postgresql://user:password@host:port/database URL; " +
        'PORT must be a port number (got "http").',
    );
  });

  it.each([
    ["0", "must be between 1 and 65535"],
    ["65536", "must be between 1 and 65535"],
    ["80.5", "must be a whole number"],
  ])("rejects PORT=%s", (port, message) => {
    expect(() => parseEnv({ PORT: port })).toThrow(`PORT ${message} (got "${port}")`);
  });

  it("never echoes secrets or database URLs in its messages", () => {
    let message = "";
    try {
      parseEnv({ AUTH_SECRET: "short", DATABASE_URL: "not a url with password hunter2" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("AUTH_SECRET must be at least 16 characters");
    expect(message).not.toContain("short");
    expect(message).not.toContain("hunter2");
  });

  it("rejects AUTH_TRUST_HOST values that are not booleans", () => {
    expect(() => parseEnv({ AUTH_TRUST_HOST: "maybe" })).toThrow(
      'AUTH_TRUST_HOST must be true or false (got "maybe")',
    );
  });
});
