import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { checkUri, requireStorage } from "../../core/storage/files";
import { connectionShape, S3Client } from "./client";
import { fileNameOf } from "./shared";

const TYPE = "aws.s3.Upload";

/** `from`: one URI, a list, or a JSON array of URIs written as a string (Kestra accepts all three). */
function uris(from: string | string[]): string[] {
  if (Array.isArray(from)) return from;
  const text = from.trim();
  if (text.startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`from is not a valid JSON array: ${(error as Error).message}`);
    }
    if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === "string"))
      throw new Error("from must be a kestra:// URI, a list of them, or a JSON array of them");
    return parsed;
  }
  return [text];
}

export const uploadPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Upload files of the internal storage to an S3 bucket.",
  description: [
    "Uploads `from` (a `kestra://` URI, a list of them, or a JSON array of them) to `bucket`: one file to",
    "the key `key`; several files under `key` as a directory, each keeping its file name. The object is",
    "read whole into memory on its way (no multipart upload yet). Works with S3-compatible services through",
    "`endpointOverride`, whose address must be allowed by the outbound-address policy.",
  ].join("\n"),
  schema: z.object({
    ...connectionShape,
    bucket: z.string().min(1).describe("The bucket to upload to."),
    key: z.string().min(1).describe("The key of the object, or the directory of several files."),
    from: z
      .union([z.string().min(1), z.array(z.string().min(1))])
      .describe("The file(s) to upload: a kestra:// URI, a list of them, or a JSON array of them."),
    contentType: z.string().optional().describe("The object's MIME type."),
    contentEncoding: z.string().optional().describe("The object's Content-Encoding."),
    contentDisposition: z.string().optional().describe("The object's Content-Disposition."),
    contentLanguage: z.string().optional().describe("The object's Content-Language."),
    cacheControl: z.string().optional().describe("The object's Cache-Control."),
    acl: z.string().optional().describe("A canned ACL, e.g. `private`, `public-read`."),
    storageClass: z.string().optional().describe("The storage class, e.g. `STANDARD_IA`."),
    metadata: z.record(z.string(), z.string()).optional().describe("User metadata (`x-amz-meta-*`)."),
  }),
  outputs: z.object({
    bucket: z.string().describe("The bucket."),
    key: z.string().describe("The key (of the last file when there were several)."),
    eTag: z.string().optional().describe("The ETag S3 gave the (last) object."),
    versionId: z.string().optional().describe("Its version, in a versioned bucket."),
  }),
  examples: [
    {
      title: "Upload a FILE input to S3",
      flow: `id: aws_s3_upload
namespace: company.team

inputs:
  - id: myfile
    type: FILE

tasks:
  - id: upload
    type: io.kestra.plugin.aws.s3.Upload
    accessKeyId: "{{ secret('AWS_ACCESS_KEY_ID') }}"
    secretKeyId: "{{ secret('AWS_SECRET_KEY_ID') }}"
    region: eu-central-1
    from: "{{ inputs.myfile }}"
    bucket: my-bucket
    key: path/to/file
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const storage = requireStorage(ctx, TYPE);
    const files = uris(p.from).map((uri) => checkUri(uri, "from"));
    if (files.length === 0) throw new Error("from lists no file");
    const client = new S3Client(p, ctx.services.httpPolicy ?? { allowPrivateNetworks: false }, ctx.signal);
    const headers: Record<string, string> = {
      "content-type": p.contentType ?? "application/octet-stream",
      ...(p.contentEncoding ? { "content-encoding": p.contentEncoding } : {}),
      ...(p.contentDisposition ? { "content-disposition": p.contentDisposition } : {}),
      ...(p.contentLanguage ? { "content-language": p.contentLanguage } : {}),
      ...(p.cacheControl ? { "cache-control": p.cacheControl } : {}),
      ...(p.acl ? { "x-amz-acl": p.acl } : {}),
      ...(p.storageClass ? { "x-amz-storage-class": p.storageClass } : {}),
      ...Object.fromEntries(
        Object.entries(p.metadata ?? {}).map(([k, v]) => [`x-amz-meta-${k.toLowerCase()}`, v]),
      ),
    };
    let last: { key: string; eTag?: string; versionId?: string } = { key: p.key };
    for (const uri of files) {
      if (!(await storage.exists(uri))) throw new Error(`file not found in internal storage: ${uri}`);
      const key = files.length === 1 ? p.key : `${p.key.replace(/\/+$/, "")}/${fileNameOf(uri)}`;
      const body = await storage.get(uri);
      last = { key, ...(await client.putObject(p.bucket, key, body, headers)) };
      ctx.logger.debug(`uploaded ${uri} (${body.byteLength} bytes) to s3://${p.bucket}/${key}`);
    }
    return { outputs: { bucket: p.bucket, ...last } };
  },
});
