// Web and engine on machines that share no disk, with the internal storage in S3: this process is the web
// server (the REST API in-process, data directory A), and a real `cadenza server engine` runs in a process
// of its own (data directory B), both against one PostgreSQL and one real S3 server (moto, test/moto.ts).
// A FILE input uploaded through the API is read by the engine; the file the engine writes is served back by
// the API. Both storages come from the one construction point (server/storage.ts) and the same settings.
// Reported skipped when moto is not installed (`npm run moto:install`; .ci/run does it).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/server/env";
import { serverStorage, storageConfigFrom } from "@/server/storage";
import { setUpApi } from "@/test/api/harness";
import { MOTO_AVAILABLE, startMoto, type TestS3 } from "@/test/moto";

const ROOT = path.resolve(import.meta.dirname, "../..");

const FLOW = `id: shared
namespace: company.files
inputs:
  - id: data
    type: FILE
tasks:
  - id: join
    type: io.kestra.plugin.core.storage.Concat
    files:
      - "{{ inputs.data }}"
      - "{{ inputs.data }}"
    extension: .csv
`;

/** Every file under a directory (relative paths). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe.skipIf(!MOTO_AVAILABLE)("web and engine processes sharing S3 storage, no disk", () => {
  let s3: TestS3 | undefined;
  let s3Settings: Record<string, string> = {};
  let engineDir = "";
  let engine: ChildProcess | undefined;
  let engineOutput = "";

  // Before setUpApi's own beforeAll: the web side's storage needs the S3 server.
  beforeAll(async () => {
    s3 = await startMoto();
    await s3.createBucket("cadenza-files");
    s3Settings = {
      CADENZA_STORAGE: "s3",
      CADENZA_S3_ENDPOINT: s3.endpoint,
      CADENZA_S3_REGION: s3.region,
      CADENZA_S3_BUCKET: "cadenza-files",
      CADENZA_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      CADENZA_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      CADENZA_S3_PREFIX: "deployment-1",
    };
  }, 60_000);

  const api = setUpApi({
    storage: () => serverStorage(storageConfigFrom(parseEnv(s3Settings))),
  });

  beforeAll(async () => {
    engineDir = await mkdtemp(path.join(os.tmpdir(), "cadenza-engine-b-"));
    engine = spawn(process.execPath, [path.join(ROOT, "bin/cadenza.mjs"), "server", "engine"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: "production",
        DATABASE_URL: api.database.url,
        CADENZA_DATA_DIR: engineDir,
        CADENZA_SECRET_KEY: randomBytes(32).toString("base64"),
        CADENZA_WORKER_CONCURRENCY: "2",
        ...s3Settings,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const started = new Promise<void>((resolve, reject) => {
      const seen = (chunk: Buffer) => {
        engineOutput += chunk.toString();
        if (engineOutput.includes("Internal storage:")) resolve();
      };
      engine?.stdout?.on("data", seen);
      engine?.stderr?.on("data", seen);
      engine?.once("exit", (code) =>
        reject(new Error(`cadenza server engine exited (${code}): ${engineOutput}`)),
      );
    });
    await started;
  }, 120_000);

  afterAll(async () => {
    if (engine && engine.exitCode === null) {
      const exited = new Promise((resolve) => engine?.once("exit", resolve));
      engine.kill("SIGTERM");
      await exited;
    }
    if (engineDir) await rm(engineDir, { recursive: true, force: true });
    await s3?.stop();
  }, 60_000);

  it("the engine reads the upload the web stored, and the web serves the file the engine wrote", async () => {
    expect(engineOutput).toContain(
      `Internal storage: S3 bucket cadenza-files (prefix deployment-1) at ${s3?.endpoint}.`,
    );
    const admin = await api.admin("main", "files@example.com");
    await api.deploy("main", admin.token, FLOW);
    const form = new FormData();
    form.set("data", new Blob(["id,amount\n1,12.5\n"]), "orders.csv");
    const started = await api.call("POST", "main/executions/company.files/shared", {
      token: admin.token,
      body: form,
    });
    expect(started.status).toBe(200);
    const id = (started.json as { id: string }).id;

    // The other process runs it: poll the shared database until it ends.
    let execution: { state: { current: string }; taskRunList: { outputs?: { uri?: string } }[] } | undefined;
    for (let tries = 0; tries < 600; tries++) {
      const response = await api.call("GET", `main/executions/${id}`, { token: admin.token });
      execution = response.json as typeof execution;
      if (execution && ["SUCCESS", "FAILED", "KILLED", "WARNING"].includes(execution.state.current)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(execution?.state.current, engineOutput).toBe("SUCCESS");
    const uri = execution?.taskRunList[0]?.outputs?.uri as string;
    expect(uri).toMatch(/^kestra:\/\/\/company\/files\/shared\/executions\/.+\.csv$/);

    const file = await api.call("GET", `main/executions/${id}/file?path=${encodeURIComponent(uri)}`, {
      token: admin.token,
    });
    expect(file.status).toBe(200);
    expect(file.text).toBe("id,amount\n1,12.5\nid,amount\n1,12.5\n");

    // Nothing went through either process's disk: both data directories hold no stored file.
    expect((await filesUnder(path.join(api.dataDir, "storage"))).length).toBe(0);
    expect((await filesUnder(path.join(engineDir, "storage"))).length).toBe(0);
  });
});
