// A private S3-compatible server for tests: moto's server (`moto[server]` from PyPI, installed into .moto/
// by `npm run moto:install`; .ci/run runs it) on a free port of 127.0.0.1, stopped afterwards. Tests check
// `MOTO_AVAILABLE` and report themselves skipped when it is not installed.
//
// Signatures are checked: moto starts with INITIAL_NO_AUTH_ACTION_COUNT, so after the few unauthenticated
// IAM calls that create a user, its access key and an allow-S3 policy, every request must carry a valid
// Signature Version 4 of that key (a wrong secret is answered 403 SignatureDoesNotMatch).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { AwsCredentials } from "@/plugins/aws";
import { sha256Hex, signRequest } from "@/plugins/aws";
import { freePort } from "@/server/runtime/free-port";

const ROOT = path.resolve(import.meta.dirname, "..");
const TARGET = path.join(ROOT, ".moto");

/** Whether moto is installed in .moto/ (`npm run moto:install`). */
export const MOTO_AVAILABLE =
  existsSync(path.join(TARGET, "cadenza-moto-version")) && existsSync(path.join(TARGET, "moto", "server.py"));

/** The region every test bucket lives in. */
export const MOTO_REGION = "eu-west-3";

export interface TestS3 {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  region: string;
  /** A key moto verifies signatures against, allowed every S3 action. */
  credentials: AwsCredentials;
  /** Creates a bucket (signed with `credentials`). */
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** The three IAM calls made before authentication starts (INITIAL_NO_AUTH_ACTION_COUNT). */
const SETUP_CALLS = 3;

async function iam(endpoint: string, params: Record<string, string>): Promise<string> {
  const body = new URLSearchParams({ ...params, Version: "2010-05-08" }).toString();
  const url = new URL(`${endpoint}/`);
  // Signed only so that moto routes the call to IAM (by the credential scope); the key is not checked yet.
  const headers = signRequest(
    {
      method: "POST",
      url,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payloadHash: sha256Hex(body),
    },
    { accessKeyId: "AKIASETUP", secretAccessKey: "setup" },
    "us-east-1",
    "iam",
  );
  const { host: _host, ...sent } = headers;
  const response = await fetch(url, { method: "POST", headers: sent, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`moto IAM ${params.Action} failed: ${response.status} ${text}`);
  return text;
}

export async function startMoto(): Promise<TestS3> {
  if (!MOTO_AVAILABLE) throw new Error("moto is not installed (npm run moto:install)");
  const version = readFileSync(path.join(TARGET, "cadenza-moto-version"), "utf8").trim();
  const port = await freePort();
  const python = process.env.PYTHON ?? "python3";
  const server: ChildProcess = spawn(python, ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    env: {
      ...process.env,
      PYTHONPATH: TARGET,
      INITIAL_NO_AUTH_ACTION_COUNT: String(SETUP_CALLS),
      MOTO_ALLOW_NONEXISTENT_REGION: "true",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  server.stderr?.on("data", (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const stop = async () => {
    if (server.exitCode === null) server.kill("SIGTERM");
    await exited;
  };
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    for (let tries = 0; ; tries++) {
      if (server.exitCode !== null) throw new Error(`moto ${version} exited: ${log}`);
      const up = await fetch(`${endpoint}/moto-api/`).then(
        (r) => r.arrayBuffer().then(() => true),
        () => false,
      );
      if (up) break;
      if (tries > 300) throw new Error(`moto ${version} did not start on ${endpoint}: ${log}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await iam(endpoint, { Action: "CreateUser", UserName: "cadenza" });
    const created = await iam(endpoint, { Action: "CreateAccessKey", UserName: "cadenza" });
    const accessKeyId = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(created)?.[1];
    const secretAccessKey = /<SecretAccessKey>([^<]+)<\/SecretAccessKey>/.exec(created)?.[1];
    if (!accessKeyId || !secretAccessKey) throw new Error(`moto gave no access key: ${created}`);
    await iam(endpoint, {
      Action: "PutUserPolicy",
      UserName: "cadenza",
      PolicyName: "s3",
      PolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
      }),
    });
    const credentials = { accessKeyId, secretAccessKey };
    return {
      endpoint,
      region: MOTO_REGION,
      credentials,
      async createBucket(name) {
        const body = `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>${MOTO_REGION}</LocationConstraint></CreateBucketConfiguration>`;
        const url = new URL(`${endpoint}/${name}`);
        const { host: _host, ...headers } = signRequest(
          { method: "PUT", url, headers: {}, payloadHash: sha256Hex(body) },
          credentials,
          MOTO_REGION,
        );
        const response = await fetch(url, { method: "PUT", headers, body });
        const text = await response.text();
        if (!response.ok) throw new Error(`moto could not create bucket ${name}: ${response.status} ${text}`);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
