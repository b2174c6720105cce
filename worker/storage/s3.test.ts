// S3Storage against a real S3-compatible server: moto's, started by test/moto.ts on a free port (installed
// by `npm run moto:install`; reported skipped without it). moto checks every request's Signature Version 4
// against the access key it issued, so a request signed wrongly is refused as AWS would.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOTO_AVAILABLE, startMoto, type TestS3 } from "@/test/moto";
import { S3Storage } from "./s3";

describe.skipIf(!MOTO_AVAILABLE)("S3Storage against a real S3 server (moto)", () => {
  let s3: TestS3;
  let storage: S3Storage;

  beforeAll(async () => {
    s3 = await startMoto();
    await s3.createBucket("data");
    storage = new S3Storage({
      endpoint: s3.endpoint,
      region: s3.region,
      bucket: "data",
      credentials: s3.credentials,
      prefix: "tenant-a",
      pageSize: 2,
    });
  }, 60_000);
  afterAll(async () => {
    await s3?.stop();
  });

  it("round-trips files, keys under the prefix, names with spaces and reserved characters", async () => {
    const uri = "kestra:///company/team/flow/executions/e1/tasks/t/r/my file (1)+x.csv";
    await storage.put(uri, "a,b\n1,2\n");
    const unprefixed = new S3Storage({
      endpoint: s3.endpoint,
      region: s3.region,
      bucket: "data",
      credentials: s3.credentials,
    });
    expect(await unprefixed.list("kestra:///tenant-a/company/")).toEqual([
      "kestra:///tenant-a/company/team/flow/executions/e1/tasks/t/r/my file (1)+x.csv",
    ]);
    expect(new TextDecoder().decode(await storage.get(uri))).toBe("a,b\n1,2\n");
    expect(await storage.exists(uri)).toBe(true);
    expect(await storage.size(uri)).toBe(8);
    expect((await storage.modified(uri))?.getTime()).toBeGreaterThan(Date.now() - 3_600_000);
    expect(await storage.delete(uri)).toBe(true);
    expect(await storage.delete(uri)).toBe(false);
    expect(await storage.exists(uri)).toBe(false);
    await expect(storage.get(uri)).rejects.toThrow(`file not found in internal storage: ${uri}`);
  });

  it("streams an object's body in chunks, and a missing one as not found", async () => {
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
  });

  it("lists every page of a prefix", async () => {
    const uris = ["a", "b", "c", "d & e"].map((name) => `kestra:///ns/_files/${name}.txt`);
    for (const uri of uris) await storage.put(uri, "x");
    await storage.put("kestra:///ns/other.txt", "y");
    // Two keys per page: three pages for four keys... and all of them, in order.
    expect(await storage.list("kestra:///ns/_files/")).toEqual(uris);
  });

  it("reports the server's error: a wrong secret is refused, as is a missing bucket", async () => {
    const wrong = new S3Storage({
      endpoint: s3.endpoint,
      region: s3.region,
      bucket: "data",
      credentials: { ...s3.credentials, secretAccessKey: "not-the-secret" },
    });
    await expect(wrong.put("kestra:///x.txt", "x")).rejects.toThrow(
      /^S3 PUT kestra:\/\/\/x.txt failed: 403 SignatureDoesNotMatch/,
    );
    const noBucket = new S3Storage({
      endpoint: s3.endpoint,
      region: s3.region,
      bucket: "missing",
      credentials: s3.credentials,
    });
    await expect(noBucket.put("kestra:///x.txt", "x")).rejects.toThrow(
      /^S3 PUT kestra:\/\/\/x.txt failed: 404 NoSuchBucket/,
    );
    await expect(storage.put("kestra:///../x", "x")).rejects.toThrow("invalid internal storage URI");
  });
});
