import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, httpPolicyFrom, httpPolicyFromEnvironment, parseEnv } from "./env";

describe("parseEnv", () => {
  it("refuses an unknown engine and a Temporal address that is not host:port", () => {
    expect(() => parseEnv({ CADENZA_ENGINE: "kestra" })).toThrow(/CADENZA_ENGINE/);
    expect(() => parseEnv({ TEMPORAL_ADDRESS: "http://temporal:7233" })).toThrow(/TEMPORAL_ADDRESS/);
    expect(parseEnv({ TEMPORAL_ADDRESS: "[::1]:7233" }).TEMPORAL_ADDRESS).toBe("[::1]:7233");
  });

  it("validates Temporal's TLS and API-key settings together", () => {
    expect(parseEnv({ TEMPORAL_TLS: "true", TEMPORAL_TLS_CA_FILE: "/ca.pem" })).toMatchObject({
      TEMPORAL_TLS: true,
      TEMPORAL_TLS_CA_FILE: "/ca.pem",
    });
    expect(() => parseEnv({ TEMPORAL_TLS_CERT_FILE: "/c.pem" })).toThrow(
      /TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together/,
    );
    expect(() => parseEnv({ TEMPORAL_TLS: "false", TEMPORAL_API_KEY: "k" })).toThrow(
      /TEMPORAL_API_KEY needs TLS/,
    );
    expect(() => parseEnv({ TEMPORAL_TLS: "false", TEMPORAL_TLS_CA_FILE: "/ca.pem" })).toThrow(
      /TEMPORAL_TLS is false/,
    );
    expect(() => parseEnv({ TEMPORAL_TLS: "maybe" })).toThrow(/TEMPORAL_TLS must be true or false/);
  });

  it("applies the defaults", () => {
    expect(parseEnv({})).toEqual({
      NODE_ENV: "development",
      PORT: 3000,
      CADENZA_DATA_DIR: path.resolve(".data"),
      CADENZA_WORKER_CONCURRENCY: 10,
      CADENZA_RETENTION_DAYS: 30,
      CADENZA_STORAGE: "local",
      CADENZA_STORAGE_SHARED: false,
      CADENZA_INLINE_TASKS: true,
      CADENZA_ENGINE: "embedded",
      TEMPORAL_NAMESPACE: "default",
      CADENZA_SIGNUP: "open",
      CADENZA_WEBHOOK_RATE_LIMIT: 120,
      CADENZA_HTTP_PRIVATE_NETWORKS: "block",
      CADENZA_MAX_BODY_BYTES: 10 * 1024 * 1024,
      CADENZA_MAX_UPLOAD_BYTES: 100 * 1024 * 1024,
      CADENZA_MAX_IMPORT_BYTES: 20 * 1024 * 1024,
      CADENZA_TRUSTED_PROXIES: [],
      CADENZA_STREAM_RECHECK_SECONDS: 5,
      CADENZA_SCRIPT_ISOLATION: "on",
      CADENZA_SCRIPT_NETWORK: "isolated",
      CADENZA_SCRIPT_UID_RANGE: "200000-265535",
      OIDC_NAME: "SSO",
    });
  });

  it("reads trusted proxies as a list of addresses and CIDR ranges, and refuses anything else", () => {
    expect(
      parseEnv({ CADENZA_TRUSTED_PROXIES: "10.0.0.0/8, 192.0.2.7,fd00::/8" }).CADENZA_TRUSTED_PROXIES,
    ).toEqual(["10.0.0.0/8", "192.0.2.7", "fd00::/8"]);
    for (const bad of ["10.0.0.0/33", "proxy.internal", "10.0.0.0/8/1", "fd00::/129"])
      expect(() => parseEnv({ CADENZA_TRUSTED_PROXIES: bad })).toThrow(/CADENZA_TRUSTED_PROXIES must be/);
  });

  it("reads the internal storage settings: S3 needs its bucket and key, and S3 settings need CADENZA_STORAGE=s3", () => {
    const s3 = {
      CADENZA_STORAGE: "s3",
      CADENZA_S3_ENDPOINT: "http://minio:9000",
      CADENZA_S3_BUCKET: "cadenza-files",
      CADENZA_S3_ACCESS_KEY_ID: "AKIAEXAMPLE",
      CADENZA_S3_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG",
      CADENZA_S3_PATH_STYLE: "false",
    };
    expect(parseEnv(s3)).toMatchObject({ CADENZA_STORAGE: "s3", CADENZA_S3_PATH_STYLE: false });
    expect(() => parseEnv({ CADENZA_STORAGE: "s3", CADENZA_S3_BUCKET: "cadenza-files" })).toThrow(
      "Invalid environment: CADENZA_STORAGE=s3 needs CADENZA_S3_ACCESS_KEY_ID, CADENZA_S3_SECRET_ACCESS_KEY.",
    );
    expect(() => parseEnv({ CADENZA_S3_BUCKET: "cadenza-files", CADENZA_S3_REGION: "eu-west-1" })).toThrow(
      "Invalid environment: CADENZA_S3_BUCKET, CADENZA_S3_REGION are set but CADENZA_STORAGE is local: set CADENZA_STORAGE=s3 to use S3.",
    );
    expect(() => parseEnv({ ...s3, CADENZA_STORAGE_DIR: "/mnt/files" })).toThrow(
      /CADENZA_STORAGE_DIR is for/,
    );
    expect(() => parseEnv({ CADENZA_STORAGE: "gcs" })).toThrow(
      /CADENZA_STORAGE must be local or s3 \(got "gcs"\)/,
    );
    expect(() => parseEnv({ ...s3, CADENZA_S3_BUCKET: "Bad_Bucket" })).toThrow(
      /CADENZA_S3_BUCKET must be an S3 bucket name/,
    );
    expect(() => parseEnv({ ...s3, CADENZA_S3_ENDPOINT: "ftp://x" })).toThrow(
      /CADENZA_S3_ENDPOINT must be an http/,
    );
    expect(() => parseEnv({ CADENZA_STORAGE_SHARED: "perhaps" })).toThrow(
      /CADENZA_STORAGE_SHARED must be true or false/,
    );
    // The access key and secret are never echoed.
    expect(() => parseEnv({ ...s3, CADENZA_S3_SECRET_ACCESS_KEY: "", CADENZA_S3_ACCESS_KEY_ID: "" })).toThrow(
      /needs CADENZA_S3_ACCESS_KEY_ID, CADENZA_S3_SECRET_ACCESS_KEY\.$/,
    );
    expect(parseEnv({ CADENZA_STORAGE_DIR: "/mnt/files", CADENZA_STORAGE_SHARED: "true" })).toMatchObject({
      CADENZA_STORAGE_DIR: "/mnt/files",
      CADENZA_STORAGE_SHARED: true,
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
      CADENZA_ENGINE: "temporal",
      TEMPORAL_ADDRESS: "temporal.internal:7233",
      TEMPORAL_NAMESPACE: "cadenza",
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
      CADENZA_STORAGE: "local",
      CADENZA_STORAGE_SHARED: false,
      CADENZA_INLINE_TASKS: false,
      CADENZA_ENGINE: "temporal",
      TEMPORAL_ADDRESS: "temporal.internal:7233",
      TEMPORAL_NAMESPACE: "cadenza",
      CADENZA_SIGNUP: "open",
      CADENZA_WEBHOOK_RATE_LIMIT: 120,
      CADENZA_HTTP_PRIVATE_NETWORKS: "block",
      CADENZA_MAX_BODY_BYTES: 10 * 1024 * 1024,
      CADENZA_MAX_UPLOAD_BYTES: 100 * 1024 * 1024,
      CADENZA_MAX_IMPORT_BYTES: 20 * 1024 * 1024,
      CADENZA_TRUSTED_PROXIES: [],
      CADENZA_STREAM_RECHECK_SECONDS: 5,
      CADENZA_SCRIPT_ISOLATION: "on",
      CADENZA_SCRIPT_NETWORK: "isolated",
      CADENZA_SCRIPT_UID_RANGE: "200000-265535",
      OIDC_NAME: "SSO",
    });
  });

  it("reads the script isolation settings, and refuses bad ones", () => {
    expect(
      parseEnv({
        CADENZA_SCRIPT_ISOLATION: "off",
        CADENZA_SCRIPT_NETWORK: "none",
        CADENZA_SCRIPT_UID_RANGE: "300000-300099",
      }),
    ).toMatchObject({
      CADENZA_SCRIPT_ISOLATION: "off",
      CADENZA_SCRIPT_NETWORK: "none",
      CADENZA_SCRIPT_UID_RANGE: "300000-300099",
    });
    expect(() =>
      parseEnv({
        CADENZA_SCRIPT_ISOLATION: "maybe",
        CADENZA_SCRIPT_NETWORK: "lan",
        CADENZA_SCRIPT_UID_RANGE: "5-1",
      }),
    ).toThrow(
      'Invalid environment: CADENZA_SCRIPT_ISOLATION must be on or off (got "maybe"); ' +
        'CADENZA_SCRIPT_NETWORK must be host, isolated or none (got "lan"); ' +
        'CADENZA_SCRIPT_UID_RANGE must be first-last with 1000 <= first <= last (got "5-1").',
    );
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

  it("accepts a CADENZA_SECRET_KEY of 32 bytes in base64 or hex, and never echoes a wrong one", () => {
    const base64 = Buffer.alloc(32, 7).toString("base64");
    expect(parseEnv({ CADENZA_SECRET_KEY: base64 }).CADENZA_SECRET_KEY).toBe(base64);
    expect(parseEnv({ CADENZA_SECRET_KEY: "ab".repeat(32) }).CADENZA_SECRET_KEY).toBe("ab".repeat(32));
    const attempt = () => parseEnv({ CADENZA_SECRET_KEY: "too-short-hunter2" });
    expect(attempt).toThrow("CADENZA_SECRET_KEY must be 32 bytes");
    expect(attempt).not.toThrow("hunter2");
  });

  it("wants the three OIDC variables together", () => {
    expect(() => parseEnv({ OIDC_ISSUER: "https://id.example.com" })).toThrow(
      "OIDC_CLIENT_ID, OIDC_CLIENT_SECRET must be set too",
    );
    const env = parseEnv({
      OIDC_ISSUER: "https://id.example.com",
      OIDC_CLIENT_ID: "cadenza",
      OIDC_CLIENT_SECRET: "s3cret",
    });
    expect(env.OIDC_CLIENT_ID).toBe("cadenza");
  });

  it("reads the network and input limits (security)", () => {
    const env = parseEnv({
      CADENZA_HTTP_ALLOWED_NETWORKS: " 10.0.0.0/8, 127.0.0.1/32,fd00::/8,192.168.1.10 ",
      CADENZA_HTTP_PRIVATE_NETWORKS: "block",
      CADENZA_MAX_BODY_BYTES: "1048576",
      CADENZA_MAX_UPLOAD_BYTES: "2097152",
      CADENZA_MAX_IMPORT_BYTES: "4096",
    });
    expect(env.CADENZA_HTTP_ALLOWED_NETWORKS).toEqual([
      "10.0.0.0/8",
      "127.0.0.1/32",
      "fd00::/8",
      "192.168.1.10",
    ]);
    expect(httpPolicyFrom(env)).toEqual({
      allowPrivateNetworks: false,
      allowedNetworks: ["10.0.0.0/8", "127.0.0.1/32", "fd00::/8", "192.168.1.10"],
    });
    expect(httpPolicyFrom(parseEnv({}))).toEqual({ allowPrivateNetworks: false, allowedNetworks: [] });
    expect(httpPolicyFromEnvironment({ CADENZA_HTTP_PRIVATE_NETWORKS: "allow", PORT: "nonsense" })).toEqual({
      allowPrivateNetworks: true,
      allowedNetworks: [],
    });
    expect(env.CADENZA_MAX_BODY_BYTES).toBe(1048576);
    expect(env.CADENZA_MAX_UPLOAD_BYTES).toBe(2097152);
    expect(env.CADENZA_MAX_IMPORT_BYTES).toBe(4096);
  });

  it.each(["10.0.0.0/33", "127.1/32", "0x7f000001", "localhost", "10.0.0.0/8/1", "::1/129"])(
    "rejects CADENZA_HTTP_ALLOWED_NETWORKS=%s",
    (value) => {
      expect(() => parseEnv({ CADENZA_HTTP_ALLOWED_NETWORKS: value })).toThrow(
        "CADENZA_HTTP_ALLOWED_NETWORKS must be a comma-separated list of CIDR ranges",
      );
    },
  );

  it("rejects other CADENZA_HTTP_PRIVATE_NETWORKS values and tiny body limits", () => {
    expect(() => parseEnv({ CADENZA_HTTP_PRIVATE_NETWORKS: "yes" })).toThrow("must be block or allow");
    expect(() => parseEnv({ CADENZA_MAX_BODY_BYTES: "10" })).toThrow("must be at least 1024");
  });
});
