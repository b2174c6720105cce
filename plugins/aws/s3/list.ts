import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { connectionShape, listShape, S3Client } from "./client";
import { s3ObjectOutput, toOutput } from "./shared";

export const listPlugin = definePlugin({
  type: "aws.s3.List",
  kind: "runnable",
  title: "List the objects of an S3 bucket.",
  description: [
    "Lists the keys of `bucket` under `prefix` (after `marker`, grouped by `delimiter`), keeps those that",
    "`filter` and `regexp` select, at most `maxKeys` of them, and outputs them as `objects`.",
  ].join("\n"),
  schema: z.object({
    ...connectionShape,
    bucket: z.string().min(1).describe("The bucket to list."),
    ...listShape,
    requestPayer: z.string().optional().describe("Accepted for Kestra compatibility; not sent."),
  }),
  outputs: z.object({ objects: z.array(s3ObjectOutput).describe("The objects listed.") }),
  examples: [
    {
      title: "List the CSV files under a prefix",
      flow: `id: aws_s3_list
namespace: company.team

tasks:
  - id: list
    type: io.kestra.plugin.aws.s3.List
    accessKeyId: "{{ secret('AWS_ACCESS_KEY_ID') }}"
    secretKeyId: "{{ secret('AWS_SECRET_KEY_ID') }}"
    region: eu-central-1
    bucket: my-bucket
    prefix: sub-dir/
    regexp: .*\\.csv
    filter: FILES
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const client = new S3Client(p, ctx.services.httpPolicy ?? { allowPrivateNetworks: false }, ctx.signal);
    const objects = await client.list(p.bucket, p);
    ctx.logger.debug(`listed ${objects.length} object(s) in s3://${p.bucket}/${p.prefix ?? ""}`);
    return { outputs: { objects: objects.map((object) => toOutput(object)) } };
  },
});
