import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { connectionShape, S3Client } from "./client";

export const copyPlugin = definePlugin({
  type: "aws.s3.Copy",
  kind: "runnable",
  title: "Copy an object inside S3 (or move it with `delete: true`).",
  description: [
    "Copies `from.key` of `from.bucket` to `to.key` of `to.bucket` (default the same bucket) on the S3 side,",
    "without passing through Cadenza; `delete: true` deletes the source afterwards (a move).",
  ].join("\n"),
  schema: z.object({
    ...connectionShape,
    from: z
      .object({
        bucket: z.string().min(1).describe("The source bucket."),
        key: z.string().min(1).describe("The source key."),
        versionId: z.string().optional().describe("A version of the source."),
      })
      .describe("The object to copy."),
    to: z
      .object({
        bucket: z.string().optional().describe("The destination bucket; default the source's."),
        key: z.string().min(1).describe("The destination key."),
      })
      .describe("Where to copy it."),
    delete: dyn(z.boolean()).default(false).describe("Delete the source once copied."),
  }),
  outputs: z.object({
    bucket: z.string().describe("The destination bucket."),
    key: z.string().describe("The destination key."),
    eTag: z.string().optional().describe("The copy's ETag."),
    versionId: z.string().optional().describe("The copy's version, in a versioned bucket."),
  }),
  examples: [
    {
      title: "Move a file to an archive prefix",
      flow: `id: aws_s3_copy
namespace: company.team

tasks:
  - id: archive
    type: io.kestra.plugin.aws.s3.Copy
    accessKeyId: "{{ secret('AWS_ACCESS_KEY_ID') }}"
    secretKeyId: "{{ secret('AWS_SECRET_KEY_ID') }}"
    region: eu-central-1
    from:
      bucket: my-bucket
      key: inbox/orders.csv
    to:
      key: archive/orders.csv
    delete: true
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const client = new S3Client(p, ctx.services.httpPolicy ?? { allowPrivateNetworks: false }, ctx.signal);
    const to = { bucket: p.to.bucket ?? p.from.bucket, key: p.to.key };
    const copied = await client.copyObject(p.from, to);
    if (p.delete) await client.deleteObject(p.from.bucket, p.from.key);
    return { outputs: { ...to, ...copied } };
  },
});
