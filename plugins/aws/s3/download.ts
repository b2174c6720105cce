import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { requireStorage, taskFileUri } from "../../core/storage/files";
import { connectionShape, S3Client } from "./client";
import { fileNameOf } from "./shared";

const TYPE = "aws.s3.Download";

export const downloadPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Download an object of an S3 bucket into the internal storage.",
  description: [
    "Reads the object `key` of `bucket` (a version with `versionId`) and stores it as a file of the",
    "internal storage named after the key's last segment. Outputs its `uri`, `contentLength`, `contentType`,",
    "`metadata` (the `x-amz-meta-*` headers) and `versionId`. Objects up to 512 MiB (held in memory on the way).",
  ].join("\n"),
  schema: z.object({
    ...connectionShape,
    bucket: z.string().min(1).describe("The bucket to read from."),
    key: z.string().min(1).describe("The key of the object."),
    versionId: z.string().optional().describe("A version of the object (versioned buckets)."),
    requestPayer: z.string().optional().describe("Accepted for Kestra compatibility; not sent."),
  }),
  outputs: z.object({
    uri: z.string().describe("The file in the internal storage."),
    contentLength: z.number().int().describe("Its size in bytes."),
    contentType: z.string().optional().describe("The object's MIME type."),
    metadata: z.record(z.string(), z.string()).describe("Its user metadata."),
    versionId: z.string().optional().describe("Its version, in a versioned bucket."),
  }),
  examples: [
    {
      title: "Download a file and log its size",
      flow: `id: aws_s3_download
namespace: company.team

tasks:
  - id: download
    type: io.kestra.plugin.aws.s3.Download
    accessKeyId: "{{ secret('AWS_ACCESS_KEY_ID') }}"
    secretKeyId: "{{ secret('AWS_SECRET_KEY_ID') }}"
    region: eu-central-1
    bucket: my-bucket
    key: path/to/file.csv

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.download.contentLength }} bytes in {{ outputs.download.uri }}"
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const storage = requireStorage(ctx, TYPE);
    const client = new S3Client(p, ctx.services.httpPolicy ?? { allowPrivateNetworks: false }, ctx.signal);
    const { body, headers } = await client.getObject(p.bucket, p.key, p.versionId);
    const uri = await storage.put(taskFileUri(ctx, fileNameOf(p.key)), body);
    const metadata = Object.fromEntries(
      Object.entries(headers)
        .filter(([name]) => name.startsWith("x-amz-meta-"))
        .map(([name, value]) => [name.slice("x-amz-meta-".length), value]),
    );
    return {
      outputs: {
        uri,
        contentLength: body.byteLength,
        ...(headers["content-type"] ? { contentType: headers["content-type"] } : {}),
        metadata,
        ...(headers["x-amz-version-id"] ? { versionId: headers["x-amz-version-id"] } : {}),
      },
    };
  },
});
