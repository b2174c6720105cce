import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { requireStorage, taskFileUri } from "../../core/storage/files";
import { connectionShape, listShape, S3Client } from "./client";
import { actionShape, checkAction, downloadAll, s3ObjectOutput } from "./shared";

const TYPE = "aws.s3.Downloads";

export const downloadsPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Download every object of an S3 bucket that a listing selects.",
  description: [
    "Lists `bucket` as `List` does, downloads each file found (at most `maxFiles`; more are left for the next",
    "run, with a warning) into the internal storage, then applies `action` to each: MOVE under",
    "`moveTo.key`, DELETE, or NONE. The action runs only once every download succeeded. Outputs `objects`",
    "(each with its `uri`) and `outputFiles` (key → uri).",
  ].join("\n"),
  schema: z.object({
    ...connectionShape,
    bucket: z.string().min(1).describe("The bucket."),
    ...listShape,
    ...actionShape,
    maxFiles: dyn(z.number().int().positive()).default(25).describe("The most files downloaded by one run."),
    requestPayer: z.string().optional().describe("Accepted for Kestra compatibility; not sent."),
  }),
  outputs: z.object({
    objects: z.array(s3ObjectOutput).describe("The objects downloaded."),
    outputFiles: z
      .record(z.string(), z.string())
      .describe("Each downloaded key's file in the internal storage."),
  }),
  examples: [
    {
      title: "Download the files of a prefix and delete them from the bucket",
      flow: `id: aws_s3_downloads
namespace: company.team

tasks:
  - id: downloads
    type: io.kestra.plugin.aws.s3.Downloads
    accessKeyId: "{{ secret('AWS_ACCESS_KEY_ID') }}"
    secretKeyId: "{{ secret('AWS_SECRET_KEY_ID') }}"
    region: eu-central-1
    bucket: my-bucket
    prefix: sub-dir/
    action: DELETE
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    checkAction(p);
    const storage = requireStorage(ctx, TYPE);
    const client = new S3Client(p, ctx.services.httpPolicy ?? { allowPrivateNetworks: false }, ctx.signal);
    let listed = await client.list(p.bucket, p);
    if (listed.length > p.maxFiles) {
      ctx.logger.warn(
        `${listed.length} objects match; only the first ${p.maxFiles} (maxFiles) are downloaded`,
      );
      listed = listed.slice(0, p.maxFiles);
    }
    const objects = await downloadAll(client, storage, p.bucket, listed, (o) => taskFileUri(ctx, o.key), p);
    const outputFiles = Object.fromEntries(objects.filter((o) => o.uri).map((o) => [o.key, o.uri as string]));
    ctx.metric({ name: "files.count", type: "counter", value: Object.keys(outputFiles).length });
    return { outputs: { objects, outputFiles } };
  },
});
