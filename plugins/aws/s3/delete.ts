import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { connectionShape, listShape, S3Client } from "./client";

export const deletePlugin = definePlugin({
  type: "aws.s3.Delete",
  kind: "runnable",
  title: "Delete an object of an S3 bucket.",
  description: "Deletes the object `key` of `bucket`. S3 answers the same whether or not the key existed.",
  schema: z.object({
    ...connectionShape,
    bucket: z.string().min(1).describe("The bucket."),
    key: z.string().min(1).describe("The key of the object to delete."),
    bypassGovernanceRetention: z
      .boolean()
      .optional()
      .describe("Accepted for Kestra compatibility; not sent."),
    mfa: z.string().optional().describe("Accepted for Kestra compatibility; not sent."),
    requestPayer: z.string().optional().describe("Accepted for Kestra compatibility; not sent."),
  }),
  outputs: z.object({
    deleteMarker: z.boolean().describe("Whether a delete marker was created (versioned buckets)."),
    versionId: z.string().optional().describe("The version of the delete marker."),
  }),
  examples: [
    {
      title: "Delete a file",
      flow: `id: aws_s3_delete
namespace: company.team

tasks:
  - id: delete
    type: io.kestra.plugin.aws.s3.Delete
    accessKeyId: "{{ secret('AWS_ACCESS_KEY_ID') }}"
    secretKeyId: "{{ secret('AWS_SECRET_KEY_ID') }}"
    region: eu-central-1
    bucket: my-bucket
    key: path/to/file
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const client = new S3Client(p, ctx.services.httpPolicy ?? { allowPrivateNetworks: false }, ctx.signal);
    return { outputs: await client.deleteObject(p.bucket, p.key) };
  },
});

export const deleteListPlugin = definePlugin({
  type: "aws.s3.DeleteList",
  kind: "runnable",
  title: "Delete every object of an S3 bucket that a listing selects.",
  description: [
    "Lists `bucket` as `List` does (prefix, regexp, filter, maxKeys...) and deletes what it found, 1,000 keys",
    "per request. Outputs `count` and `size` (bytes). With `errorOnEmpty`, finding nothing fails the task.",
  ].join("\n"),
  schema: z.object({
    ...connectionShape,
    bucket: z.string().min(1).describe("The bucket."),
    ...listShape,
    errorOnEmpty: dyn(z.boolean()).default(false).describe("Fail when no object matches."),
    concurrent: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("Accepted for Kestra compatibility; deletes are batched."),
  }),
  outputs: z.object({
    count: z.number().int().describe("How many objects were deleted."),
    size: z.number().int().describe("Their total size in bytes."),
  }),
  examples: [
    {
      title: "Delete the files under a prefix",
      flow: `id: aws_s3_delete_list
namespace: company.team

tasks:
  - id: delete
    type: io.kestra.plugin.aws.s3.DeleteList
    accessKeyId: "{{ secret('AWS_ACCESS_KEY_ID') }}"
    secretKeyId: "{{ secret('AWS_SECRET_KEY_ID') }}"
    region: eu-central-1
    bucket: my-bucket
    prefix: tmp/
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const client = new S3Client(p, ctx.services.httpPolicy ?? { allowPrivateNetworks: false }, ctx.signal);
    const objects = await client.list(p.bucket, p);
    if (objects.length === 0 && p.errorOnEmpty)
      throw new Error(`no object matched in s3://${p.bucket}/${p.prefix ?? ""}`);
    const count = await client.deleteObjects(
      p.bucket,
      objects.map((object) => object.key),
    );
    return { outputs: { count, size: objects.reduce((sum, object) => sum + object.size, 0) } };
  },
});
