import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Storage } from "./s3";
import { signRequest } from "./sigv4";

const CREDENTIALS = { accessKeyId: "AKIDTEST", secretAccessKey: "test/secret+key" };
const REGION = "eu-test-1";

/**
 * A small S3 server: objects in a Map, ListObjectsV2 with pagination (2 keys per page), and every request's
 * SigV4 signature recomputed here, independently of the client's code, before anything is done.
 */
function fakeS3() {
  const objects = new Map<string, Buffer>();
  const requests: { method: string; url: string; verified: boolean }[] = [];
  const encode = (text: string) =>
    encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

  const verify = (req: IncomingMessage, body: Buffer): string | undefined => {
    const auth = String(req.headers.authorization ?? "");
    const match =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!match) return "malformed authorization";
    const [, key, day, region, signedHeaders, signature] = match as unknown as string[];
    if (key !== CREDENTIALS.accessKeyId || region !== REGION) return "unknown key or region";
    const payloadHash = String(req.headers["x-amz-content-sha256"]);
    if (payloadHash !== createHash("sha256").update(body).digest("hex")) return "payload hash mismatch";
    const stamp = String(req.headers["x-amz-date"]);
    if (!stamp.startsWith(day as string)) return "date mismatch";
    const [rawPath, rawQuery = ""] = String(req.url).split("?");
    const query = rawQuery
      .split("&")
      .filter(Boolean)
      .map((pair) => pair.split("=").map((part) => encode(decodeURIComponent(part))) as [string, string])
      .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
      .map(([k, v]) => `${k}=${v ?? ""}`)
      .join("&");
    const names = (signedHeaders as string).split(";");
    if (!names.includes("host") || !names.includes("x-amz-date")) return "host and date must be signed";
    const headers = names.map((name) => `${name}:${String(req.headers[name] ?? "").trim()}\n`).join("");
    const canonical = [req.method, rawPath, query, headers, signedHeaders, payloadHash].join("\n");
    const scope = `${day}/${region}/s3/aws4_request`;
    const toSign = `AWS4-HMAC-SHA256\n${stamp}\n${scope}\n${createHash("sha256").update(canonical).digest("hex")}`;
    let signing: Buffer = createHmac("sha256", `AWS4${CREDENTIALS.secretAccessKey}`)
      .update(day as string)
      .digest();
    for (const part of [region as string, "s3", "aws4_request"])
      signing = createHmac("sha256", signing).update(part).digest();
    const expected = createHmac("sha256", signing).update(toSign).digest("hex");
    return expected === signature ? undefined : "signature mismatch";
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const problem = verify(req, body);
      requests.push({ method: String(req.method), url: String(req.url), verified: !problem });
      if (problem) {
        res.writeHead(403, { "content-type": "application/xml" });
        res.end(`<Error><Code>SignatureDoesNotMatch</Code><Message>${problem}</Message></Error>`);
        return;
      }
      const [path, rawQuery = ""] = String(req.url).split("?");
      const segments = (path as string).split("/").slice(1).map(decodeURIComponent);
      const [bucket, ...rest] = segments;
      if (bucket !== "data") {
        res.writeHead(404).end("<Error><Code>NoSuchBucket</Code></Error>");
        return;
      }
      const key = rest.join("/");
      if (req.method === "GET" && key === "") {
        const params = new URLSearchParams(rawQuery);
        const prefix = params.get("prefix") ?? "";
        const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
        const start = Number(params.get("continuation-token") ?? 0);
        const page = keys.slice(start, start + 2);
        const truncated = start + 2 < keys.length;
        res.writeHead(200, { "content-type": "application/xml" });
        res.end(
          `<?xml version="1.0"?><ListBucketResult>${page.map((k) => `<Contents><Key>${k.replace(/&/g, "&amp;")}</Key></Contents>`).join("")}<IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${start + 2}</NextContinuationToken>` : ""}</ListBucketResult>`,
        );
        return;
      }
      const object = objects.get(key);
      switch (req.method) {
        case "PUT":
          objects.set(key, body);
          res.writeHead(200).end();
          return;
        case "GET":
        case "HEAD":
          if (!object) {
            res.writeHead(404, { "content-type": "application/xml" });
            res.end(req.method === "GET" ? "<Error><Code>NoSuchKey</Code></Error>" : undefined);
            return;
          }
          res.writeHead(200, { "content-length": object.byteLength });
          res.end(req.method === "GET" ? object : undefined);
          return;
        case "DELETE":
          objects.delete(key);
          res.writeHead(204).end();
          return;
      }
      res.writeHead(405).end();
    });
  });
  return { server, objects, requests };
}

describe("SigV4 signing", () => {
  it("matches AWS's documented example (GET Object with a Range)", () => {
    const headers = signRequest(
      {
        method: "GET",
        url: new URL("https://examplebucket.s3.amazonaws.com/test.txt"),
        headers: { Range: "bytes=0-9" },
        payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      },
      { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
      "us-east-1",
      "s3",
      new Date("2013-05-24T00:00:00Z"),
    );
    expect(headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    );
  });
});

describe("S3Storage against a fake S3 server", () => {
  const fake = fakeS3();
  let storage: S3Storage;
  let endpoint: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    storage = new S3Storage({
      endpoint,
      region: REGION,
      bucket: "data",
      credentials: CREDENTIALS,
      prefix: "tenant-a",
    });
  });
  afterAll(() => new Promise<void>((resolve) => fake.server.close(() => resolve())));

  it("round-trips files with correctly signed requests, keys under the prefix", async () => {
    const uri = "kestra:///company/team/flow/executions/e1/tasks/t/r/my file (1)+x.csv";
    await storage.put(uri, "a,b\n1,2\n");
    expect([...fake.objects.keys()]).toContain(
      "tenant-a/company/team/flow/executions/e1/tasks/t/r/my file (1)+x.csv",
    );
    expect(new TextDecoder().decode(await storage.get(uri))).toBe("a,b\n1,2\n");
    expect(await storage.exists(uri)).toBe(true);
    expect(await storage.size(uri)).toBe(8);
    expect(await storage.delete(uri)).toBe(true);
    expect(await storage.delete(uri)).toBe(false);
    expect(await storage.exists(uri)).toBe(false);
    await expect(storage.get(uri)).rejects.toThrow(`file not found in internal storage: ${uri}`);
    expect(fake.requests.length).toBeGreaterThan(6);
    expect(fake.requests.every((r) => r.verified)).toBe(true);
  });

  it("streams an object's body in chunks (signed like every request), and a missing one as not found", async () => {
    const uri = "kestra:///company/team/flow/executions/e2/big.bin";
    const data = Buffer.alloc(3 * 1024 * 1024, "abcdefgh");
    await storage.put(uri, data);
    const chunks: Uint8Array[] = [];
    for await (const chunk of storage.read(uri)) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    const missing = async () => {
      for await (const _ of storage.read(`${uri}.gone`));
    };
    await expect(missing()).rejects.toThrow(`file not found in internal storage: ${uri}.gone`);
    expect(fake.requests.every((r) => r.verified)).toBe(true);
  });

  it("lists every page of a prefix", async () => {
    const uris = ["a", "b", "c", "d & e"].map((name) => `kestra:///ns/_files/${name}.txt`);
    for (const uri of uris) await storage.put(uri, "x");
    await storage.put("kestra:///ns/other.txt", "y");
    expect(await storage.list("kestra:///ns/_files/")).toEqual(uris);
    expect(fake.requests.filter((r) => r.url.includes("continuation-token")).length).toBe(1);
    expect(fake.requests.every((r) => r.verified)).toBe(true);
  });

  it("reports the server's error, and the fake refuses a wrong secret", async () => {
    const wrong = new S3Storage({
      endpoint,
      region: REGION,
      bucket: "data",
      credentials: { ...CREDENTIALS, secretAccessKey: "not-the-secret" },
    });
    await expect(wrong.put("kestra:///x.txt", "x")).rejects.toThrow(
      "S3 PUT kestra:///x.txt failed: 403 SignatureDoesNotMatch: signature mismatch",
    );
    await expect(storage.put("kestra:///../x", "x")).rejects.toThrow("invalid internal storage URI");
  });
});
