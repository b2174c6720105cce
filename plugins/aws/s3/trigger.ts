import { randomUUID } from "node:crypto";
import { z } from "zod";
import { definePlugin, duration } from "@/engine/plugin";
import { connectionShape, listShape, S3Client } from "./client";
import { actionShape, checkAction, downloadAll, fileNameOf, s3ObjectOutput } from "./shared";

export const triggerPlugin = definePlugin({
  type: "aws.s3.Trigger",
  kind: "trigger",
  title: "Start an execution when files appear in an S3 bucket.",
  description: [
    "Every `interval` the trigger lists `bucket` as `List` does; when it finds files, it downloads them into",
    "the internal storage, applies `action` (MOVE under `moveTo.key`, DELETE, or NONE) and starts one",
    "execution with them as `trigger.objects` (each with its `uri`). With NONE the same files are found again",
    "at the next poll: move or delete them in the flow. A poll that fails (refused address, wrong key) is",
    "logged on the trigger and tried again at the next interval.",
  ].join("\n"),
  schema: z.object({
    ...connectionShape,
    bucket: z.string().min(1).describe("The bucket to watch."),
    ...listShape,
    ...actionShape,
    interval: duration.default("PT60S").describe("How often to poll (ISO-8601 duration)."),
  }),
  outputs: z.object({ objects: z.array(s3ObjectOutput).describe("The files found and downloaded.") }),
  async poll(ctx) {
    const p = ctx.properties;
    checkAction(p);
    const storage = ctx.services.storage;
    if (!storage)
      throw new Error("aws.s3.Trigger needs the internal storage, which this engine does not provide");
    const client = new S3Client(p, ctx.services.httpPolicy ?? { allowPrivateNetworks: false }, ctx.signal);
    const listed = (
      await client.list(p.bucket, { ...p, filter: p.filter === "BOTH" ? "FILES" : p.filter })
    ).filter((object) => !object.key.endsWith("/"));
    if (listed.length === 0) return undefined;
    // The files belong to no execution yet: they live under the trigger's own folder, one per poll.
    const folder = `kestra:///${ctx.flow.namespace.split(".").join("/")}/${ctx.flow.id}/triggers/${ctx.trigger.id}/${randomUUID()}`;
    const objects = await downloadAll(
      client,
      storage,
      p.bucket,
      listed,
      (o) => `${folder}/${fileNameOf(o.key)}`,
      p,
    );
    return { variables: { objects } };
  },
  examples: [
    {
      title: "Process each CSV file dropped into a bucket, then move it to an archive prefix",
      flow: `id: aws_s3_trigger
namespace: company.team

tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: "{{ trigger.objects | jq('.[].uri') }}"
    tasks:
      - id: log
        type: io.kestra.plugin.core.log.Log
        message: "new file {{ taskrun.value }}"

triggers:
  - id: watch
    type: io.kestra.plugin.aws.s3.Trigger
    accessKeyId: "{{ secret('AWS_ACCESS_KEY_ID') }}"
    secretKeyId: "{{ secret('AWS_SECRET_KEY_ID') }}"
    region: eu-central-1
    bucket: my-bucket
    prefix: inbox/
    regexp: .*\\.csv
    action: MOVE
    moveTo:
      key: archive
    interval: PT1M
`,
    },
  ],
});
