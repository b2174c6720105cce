// The server commands run in-process through main(argv, io), on their failure paths and on
// `migrate`'s success path. (`start`'s success path needs a Next build: e2e/ covers it.)

import { readdirSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { migrationsDir } from "@/server/paths";
import { freePort } from "@/server/runtime/free-port";
import { createTestDatabase, databaseUrl } from "@/test/db";

/** The committed migrations, oldest first. */
const migrationNames = () =>
  readdirSync(migrationsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

async function run(argv: string[]) {
  vi.resetModules(); // re-read the environment stubbed by the test
  const { main } = await import("@/cli/main");
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

async function occupiedPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return { port: address.port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** One line, no stack trace. */
function expectOneLine(text: string) {
  expect(text.trimEnd().split("\n")).toHaveLength(1);
  expect(text).not.toMatch(/\n\s+at /);
}

const unreachable = "postgresql://cadenza:secret@127.0.0.1:1/cadenza";

describe("cadenza start", () => {
  beforeEach(() => {
    vi.stubEnv("DATABASE_URL", "");
    vi.stubEnv("PORT", "");
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("says so in one line when the port is in use", async () => {
    const held = await occupiedPort();
    try {
      const { code, stderr } = await run(["start", "--port", String(held.port)]);
      expect(code).toBe(1);
      expect(stderr).toBe(
        `cadenza start: Port ${held.port} is already in use: stop what listens there, or choose another port with PORT=<port>.\n`,
      );
    } finally {
      await held.close();
    }
  });

  it("reads the port from PORT", async () => {
    const held = await occupiedPort();
    vi.stubEnv("PORT", String(held.port));
    try {
      const { code, stderr } = await run(["start"]);
      expect(code).toBe(1);
      expect(stderr).toContain(`Port ${held.port} is already in use`);
    } finally {
      await held.close();
    }
  });

  it("says so in one line when DATABASE_URL cannot be reached", async () => {
    vi.stubEnv("DATABASE_URL", unreachable);
    const { code, stdout, stderr } = await run(["start", "--port", String(await freePort())]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      "cadenza start: Cannot reach PostgreSQL at 127.0.0.1:1/cadenza (ECONNREFUSED): start it or fix DATABASE_URL, " +
        "or unset it to use the embedded PostgreSQL.\n",
    );
    expect(stdout + stderr).not.toContain("secret");
  });

  it("says so in one line when the data directory cannot be written", async () => {
    const base = await mkdtemp(path.join(os.tmpdir(), "cadenza-cli-"));
    await chmod(base, 0o755); // else, as root, the postgres user could not reach it: another error
    const file = path.join(base, "not-a-dir");
    await writeFile(file, "");
    vi.stubEnv("CADENZA_DATA_DIR", path.join(file, "data"));
    try {
      const { code, stderr } = await run(["start", "--port", String(await freePort())]);
      expect(code).toBe(1);
      expectOneLine(stderr);
      expect(stderr).toBe(
        `cadenza start: Cannot create the data directory ${file}/data (ENOTDIR: a parent is not a directory): ` +
          "set CADENZA_DATA_DIR to a writable directory, or set DATABASE_URL to use an existing PostgreSQL.\n",
      );
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });

  it("reports an invalid environment in one line", async () => {
    vi.stubEnv("PORT", "eighty");
    const { code, stderr } = await run(["start"]);
    expect(code).toBe(1);
    expect(stderr).toBe('cadenza start: Invalid environment: PORT must be a port number (got "eighty").\n');
  });

  it("rejects a bad --port as a usage error", async () => {
    const { code, stderr } = await run(["start", "--port", "99999"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--port must be a number between 1 and 65535 (got '99999')");
    expect(stderr).toContain("Usage: cadenza start");
  });

  it("rejects an --engine other than embedded or temporal as a usage error", async () => {
    const { code, stderr } = await run(["start", "--engine", "kestra"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--engine must be embedded or temporal (got 'kestra')");
  });

  it("--engine temporal says so in one line, before any slow step, when TEMPORAL_ADDRESS does not answer", async () => {
    vi.stubEnv("TEMPORAL_ADDRESS", "127.0.0.1:1");
    const { code, stdout, stderr } = await run([
      "start",
      "--engine",
      "temporal",
      "--port",
      String(await freePort()),
    ]);
    expect(code).toBe(1);
    expectOneLine(stderr);
    expect(stderr).toContain("cadenza start: Temporal does not answer at TEMPORAL_ADDRESS=127.0.0.1:1");
    expect(stdout).not.toContain("Database:");
  });

  it("rejects unknown flags and arguments with usage", async () => {
    expect((await run(["start", "--nope"])).code).toBe(2);
    expect((await run(["start", "extra"])).code).toBe(2);
  });
});

describe("cadenza migrate", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("applies pending migrations, then has nothing to do", async () => {
    const t = await createTestDatabase({ migrate: false });
    try {
      vi.stubEnv("DATABASE_URL", t.url);
      const first = await run(["migrate"]);
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      const all = migrationNames();
      expect(first.stdout).toBe(
        `Applied ${all.length} migration${all.length === 1 ? "" : "s"} to ${first.stdout.split(" to ")[1]?.split(":\n")[0]}:\n${all.map((n) => `  ${n}\n`).join("")}`,
      );
      expect(first.stdout).toMatch(/^Applied \d+ migrations? to 127\.0\.0\.1:\d+\/cadenza_test_\w+:\n/);
      const second = await run(["migrate"]);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(
        new RegExp(`^Nothing to apply: .* is up to date \\(${all.length} migrations?\\)\\.\\n$`),
      );
    } finally {
      await t.drop();
    }
  });

  it("creates the database named in DATABASE_URL when it does not exist", async () => {
    const name = `cadenza_test_new_${Date.now()}`;
    vi.stubEnv("DATABASE_URL", databaseUrl(name));
    const { code, stdout } = await run(["migrate"]);
    expect(code).toBe(0);
    expect(stdout).toContain(`Created database ${name}`);
    const { adminQuery } = await import("@/test/db");
    await adminQuery(`drop database "${name}" with (force)`);
  });

  it("says so in one line when DATABASE_URL cannot be reached", async () => {
    vi.stubEnv("DATABASE_URL", unreachable);
    const { code, stderr } = await run(["migrate"]);
    expect(code).toBe(1);
    expectOneLine(stderr);
    expect(stderr).toContain(
      "cadenza migrate: Cannot reach PostgreSQL at 127.0.0.1:1/cadenza (ECONNREFUSED)",
    );
  });
});

describe("cadenza server web|engine|temporal-worker", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("need DATABASE_URL", async () => {
    vi.stubEnv("DATABASE_URL", "");
    for (const role of ["web", "engine", "temporal-worker"]) {
      const { code, stderr } = await run([
        "server",
        role,
        ...(role === "web" ? ["--port", String(await freePort())] : []),
      ]);
      expect(code).toBe(1);
      expectOneLine(stderr);
      expect(stderr).toContain(`cadenza server ${role}: DATABASE_URL is not set`);
    }
  });

  it("temporal-worker needs TEMPORAL_ADDRESS, whatever CADENZA_ENGINE says", async () => {
    const t = await createTestDatabase();
    try {
      vi.stubEnv("DATABASE_URL", t.url);
      vi.stubEnv("CADENZA_SECRET_KEY", "0".repeat(64));
      vi.stubEnv("CADENZA_ENGINE", "embedded");
      vi.stubEnv("TEMPORAL_ADDRESS", "");
      const { code, stderr } = await run(["server", "temporal-worker"]);
      expect(code).toBe(1);
      expectOneLine(stderr);
      expect(stderr).toContain(
        "cadenza server temporal-worker: CADENZA_ENGINE=temporal needs TEMPORAL_ADDRESS",
      );
    } finally {
      await t.drop();
    }
  });

  it("refuse a local storage that is not declared shared, naming the two ways out", async () => {
    const t = await createTestDatabase();
    try {
      vi.stubEnv("DATABASE_URL", t.url);
      vi.stubEnv("CADENZA_SECRET_KEY", "0".repeat(64));
      vi.stubEnv("AUTH_SECRET", "a".repeat(32));
      vi.stubEnv("CADENZA_STORAGE", "local");
      vi.stubEnv("CADENZA_STORAGE_DIR", "/srv/cadenza-files");
      vi.stubEnv("CADENZA_STORAGE_SHARED", "");
      for (const role of ["web", "engine"]) {
        const { code, stderr } = await run([
          "server",
          role,
          ...(role === "web" ? ["--port", String(await freePort())] : []),
        ]);
        expect(code).toBe(1);
        expectOneLine(stderr);
        expect(stderr).toContain(
          `cadenza server ${role}: \`cadenza server ${role}\` shares files with the other servers, but the internal storage is the local directory /srv/cadenza-files: set CADENZA_STORAGE=s3`,
        );
        expect(stderr).toContain("declare it with CADENZA_STORAGE_SHARED=true");
      }
    } finally {
      await t.drop();
    }
  });

  it("say in one line that the S3 storage cannot be reached, before starting anything", async () => {
    const t = await createTestDatabase();
    try {
      vi.stubEnv("DATABASE_URL", t.url);
      vi.stubEnv("CADENZA_SECRET_KEY", "0".repeat(64));
      vi.stubEnv("CADENZA_STORAGE", "s3");
      // A closed port (fetch refuses port 1 itself as unsafe, which would hide the connection's error).
      const closed = await freePort();
      vi.stubEnv("CADENZA_S3_ENDPOINT", `http://127.0.0.1:${closed}`);
      vi.stubEnv("CADENZA_S3_BUCKET", "files");
      vi.stubEnv("CADENZA_S3_ACCESS_KEY_ID", "AKIAEXAMPLE");
      vi.stubEnv("CADENZA_S3_SECRET_ACCESS_KEY", "example-secret");
      const { code, stdout, stderr } = await run(["server", "engine"]);
      expect(code).toBe(1);
      expectOneLine(stderr);
      expect(stderr).toContain(
        `cadenza server engine: The internal storage (S3 bucket files at http://127.0.0.1:${closed}) cannot be used: fetch failed (ECONNREFUSED).`,
      );
      expect(stderr).not.toContain("example-secret");
      expect(stdout).not.toContain("engine");
    } finally {
      await t.drop();
    }
  });

  it("say in one line that CADENZA_STORAGE=s3 lacks its bucket or key", async () => {
    vi.stubEnv("CADENZA_STORAGE", "s3");
    vi.stubEnv("CADENZA_S3_BUCKET", "files");
    const { code, stderr } = await run(["server", "engine"]);
    expect(code).toBe(1);
    expectOneLine(stderr);
    expect(stderr).toContain(
      "CADENZA_STORAGE=s3 needs CADENZA_S3_ACCESS_KEY_ID, CADENZA_S3_SECRET_ACCESS_KEY",
    );
  });

  it("refuse a database with pending migrations", async () => {
    const t = await createTestDatabase({ migrate: false });
    try {
      vi.stubEnv("DATABASE_URL", t.url);
      const { code, stderr } = await run(["server", "engine"]);
      expect(code).toBe(1);
      expectOneLine(stderr);
      expect(stderr).toMatch(
        new RegExp(
          `The database is missing ${migrationNames().length} migration\\(s\\) \\(${migrationNames().join(", ")}\\): run \`cadenza migrate\` once`,
        ),
      );
    } finally {
      await t.drop();
    }
  });
});
