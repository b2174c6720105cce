// The aws.s3 tasks and trigger against a real S3 server: moto's (test/moto.ts), which checks every request's
// signature. moto listens on loopback, which the outbound-address policy refuses by default: the tests allow
// 127.0.0.0/8 as an operator would (CADENZA_HTTP_ALLOWED_NETWORKS), and one checks the refusal without it.
// Reported skipped when moto is not installed (`npm run moto:install`; .ci/run does it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpPolicy } from "@/engine/plugin";
import { MOTO_AVAILABLE, startMoto, type TestS3 } from "@/test/moto";
import { pollUntil, setUpEmbeddedEngine, TENANT } from "@/worker/embedded/test/harness";
import { errorOf, newEngine, outputsOf, run, text } from "./helpers";

const LOOPBACK: HttpPolicy = { allowPrivateNetworks: false, allowedNetworks: ["127.0.0.0/8"] };

describe.skipIf(!MOTO_AVAILABLE)("aws.s3 tasks on a real S3 server (moto)", () => {
  let s3: TestS3;

  beforeAll(async () => {
    s3 = await startMoto();
    await s3.createBucket("tasks");
    await s3.createBucket("archive");
  }, 60_000);
  afterAll(async () => {
    await s3?.stop();
  });

  const connection = (
    secret = s3.credentials.secretAccessKey,
  ) => `    accessKeyId: ${s3.credentials.accessKeyId}
    secretKeyId: "${secret}"
    region: ${s3.region}
    endpointOverride: ${s3.endpoint}`;
  const flow = (tasks: string) => `id: s3
namespace: company.team
inputs:
  - { id: file, type: STRING, defaults: "" }
tasks:
${tasks}`;

  it("Upload, List, Download, Copy, Delete and DeleteList round-trip through the bucket", async () => {
    const { engine } = newEngine({ httpPolicy: LOOPBACK });
    const csv = await engine.storage.put("kestra:///company/team/in/orders.csv", "id,amount\n1,12.5\n");
    const png = await engine.storage.put(
      "kestra:///company/team/in/logo.png",
      new Uint8Array([137, 80, 78, 71]),
    );
    const execution = await run(
      engine,
      flow(`  - id: upload
    type: io.kestra.plugin.aws.s3.Upload
${connection()}
    bucket: tasks
    key: reports/2024 05/orders.csv
    from: "{{ inputs.file }}"
    contentType: text/csv
    metadata: { source: nightly }
  - id: upload_many
    type: io.kestra.plugin.aws.s3.Upload
${connection()}
    bucket: tasks
    key: reports/more/
    from: ["${csv}", "${png}"]
  - id: list
    type: io.kestra.plugin.aws.s3.List
${connection()}
    bucket: tasks
    prefix: reports/
    regexp: .*\\.csv
  - id: download
    type: io.kestra.plugin.aws.s3.Download
${connection()}
    bucket: tasks
    key: reports/2024 05/orders.csv
  - id: copy
    type: io.kestra.plugin.aws.s3.Copy
${connection()}
    from: { bucket: tasks, key: reports/more/logo.png }
    to: { bucket: archive, key: logos/logo.png }
    delete: true
  - id: delete
    type: io.kestra.plugin.aws.s3.Delete
${connection()}
    bucket: tasks
    key: reports/more/orders.csv
  - id: after
    type: io.kestra.plugin.aws.s3.List
${connection()}
    bucket: tasks
  - id: archived
    type: io.kestra.plugin.aws.s3.List
${connection()}
    bucket: archive
  - id: clean
    type: io.kestra.plugin.aws.s3.DeleteList
${connection()}
    bucket: archive
    prefix: logos/
`),
      { file: csv },
    );
    expect(execution.state.current).toBe("SUCCESS");
    expect(outputsOf(execution, "upload")).toMatchObject({
      bucket: "tasks",
      key: "reports/2024 05/orders.csv",
      eTag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
    });
    expect(outputsOf(execution, "upload_many")).toMatchObject({ key: "reports/more/logo.png" });
    const listed = outputsOf(execution, "list").objects as { key: string; size: number }[];
    expect(listed.map((o) => [o.key, o.size])).toEqual([
      ["reports/2024 05/orders.csv", 17],
      ["reports/more/orders.csv", 17],
    ]);
    const download = outputsOf(execution, "download");
    expect(download).toMatchObject({
      contentLength: 17,
      contentType: "text/csv",
      metadata: { source: "nightly" },
    });
    expect(download.uri).toMatch(/\/orders\.csv$/);
    expect(await text(engine, download.uri)).toBe("id,amount\n1,12.5\n");
    expect(outputsOf(execution, "copy")).toMatchObject({ bucket: "archive", key: "logos/logo.png" });
    expect((outputsOf(execution, "after").objects as { key: string }[]).map((o) => o.key)).toEqual([
      "reports/2024 05/orders.csv",
    ]);
    expect((outputsOf(execution, "archived").objects as { key: string }[]).map((o) => o.key)).toEqual([
      "logos/logo.png",
    ]);
    expect(outputsOf(execution, "clean")).toEqual({ count: 1, size: 4 });
  });

  it("Downloads takes every matching file into the internal storage, then moves them", async () => {
    const { engine } = newEngine({ httpPolicy: LOOPBACK });
    for (const name of ["a.csv", "b.csv", "skip.txt"]) {
      const uri = await engine.storage.put(`kestra:///seed/${name}`, `file ${name}`);
      await run(
        engine,
        flow(`  - id: put
    type: io.kestra.plugin.aws.s3.Upload
${connection()}
    bucket: tasks
    key: inbox/${name}
    from: "{{ inputs.file }}"
`),
        { file: uri },
      );
    }
    const execution = await run(
      engine,
      flow(`  - id: take
    type: io.kestra.plugin.aws.s3.Downloads
${connection()}
    bucket: tasks
    prefix: inbox/
    regexp: .*\\.csv
    action: MOVE
    moveTo: { bucket: archive, key: done/ }
  - id: left
    type: io.kestra.plugin.aws.s3.List
${connection()}
    bucket: tasks
    prefix: inbox/
  - id: moved
    type: io.kestra.plugin.aws.s3.List
${connection()}
    bucket: archive
    prefix: done/
`),
    );
    const take = outputsOf(execution, "take") as {
      objects: { key: string; uri: string }[];
      outputFiles: Record<string, string>;
    };
    expect(take.objects.map((o) => o.key)).toEqual(["inbox/a.csv", "inbox/b.csv"]);
    expect(await text(engine, take.outputFiles["inbox/b.csv"])).toBe("file b.csv");
    expect((outputsOf(execution, "left").objects as { key: string }[]).map((o) => o.key)).toEqual([
      "inbox/skip.txt",
    ]);
    expect((outputsOf(execution, "moved").objects as { key: string }[]).map((o) => o.key)).toEqual([
      "done/a.csv",
      "done/b.csv",
    ]);
  });

  it("fails clearly: loopback refused by default, a wrong secret, a missing key, MOVE without moveTo", async () => {
    const refused = await run(
      newEngine().engine,
      flow(`  - id: list
    type: io.kestra.plugin.aws.s3.List
${connection()}
    bucket: tasks
`),
    );
    expect(errorOf(refused, "list")).toMatch(
      /^http request to 127\.0\.0\.1 refused: private and loopback addresses are blocked/,
    );
    const { engine } = newEngine({ httpPolicy: LOOPBACK });
    const wrong = await run(
      engine,
      flow(`  - id: list
    type: io.kestra.plugin.aws.s3.List
${connection("not-the-secret")}
    bucket: tasks
`),
    );
    expect(errorOf(wrong, "list")).toMatch(/^S3 LIST s3:\/\/tasks failed: 403 SignatureDoesNotMatch/);
    const missing = await run(
      engine,
      flow(`  - id: get
    type: io.kestra.plugin.aws.s3.Download
${connection()}
    bucket: tasks
    key: nothing/here.csv
`),
    );
    expect(errorOf(missing, "get")).toMatch(/^S3 GET s3:\/\/tasks\/nothing\/here\.csv failed: 404 NoSuchKey/);
    const noCredentials = await run(
      engine,
      flow(`  - id: list
    type: io.kestra.plugin.aws.s3.List
    endpointOverride: ${s3.endpoint}
    bucket: tasks
`),
    );
    expect(errorOf(noCredentials, "list")).toContain("accessKeyId and secretKeyId are required");
    const move = await run(
      engine,
      flow(`  - id: take
    type: io.kestra.plugin.aws.s3.Downloads
${connection()}
    bucket: tasks
    action: MOVE
`),
    );
    expect(errorOf(move, "take")).toBe("action MOVE needs moveTo (the key prefix to move the objects under)");
  });
});

describe.skipIf(!MOTO_AVAILABLE)("aws.s3.Trigger on the embedded engine", () => {
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await startMoto();
    await s3.createBucket("drop");
  }, 60_000);
  afterAll(async () => {
    await s3?.stop();
  });
  const h = setUpEmbeddedEngine({ httpPolicy: () => LOOPBACK });

  it("starts executions with the new files, each file downloaded once, and deletes them from the bucket", async () => {
    await h.startRuntime();
    const connection = `    accessKeyId: ${s3.credentials.accessKeyId}
    secretKeyId: "${s3.credentials.secretAccessKey}"
    region: ${s3.region}
    endpointOverride: ${s3.endpoint}`;
    await h.deploy(`id: on_drop
namespace: poll.team
tasks:
  - id: first
    type: io.kestra.plugin.core.storage.Size
    uri: "{{ trigger.objects[0].uri }}"
triggers:
  - id: drop
    type: io.kestra.plugin.aws.s3.Trigger
${connection}
    bucket: drop
    prefix: in/
    action: DELETE
    interval: PT0.3S
`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await h.query("select id from executions where flow_id = 'on_drop'")).toEqual([]);
    const { S3Storage } = await import("@/worker/storage");
    const bucket = new S3Storage({
      endpoint: s3.endpoint,
      region: s3.region,
      bucket: "drop",
      credentials: s3.credentials,
    });
    await bucket.put("kestra:///in/one.csv", "a,b\n");
    await bucket.put("kestra:///in/two.csv", "c,d,e\n");
    // The poll may fall between the two puts: every file is in exactly one execution, whichever.
    type Found = { key: string; size: number; uri: string };
    const found = async () => {
      const rows = await h.query<{ id: string }>(
        "select id from executions where flow_id = 'on_drop' and state = 'SUCCESS' order by start_date",
      );
      const executions = await Promise.all(rows.map((row) => h.client.get(TENANT, row.id)));
      return executions.map((execution) => ({
        objects: (execution?.trigger?.variables?.objects ?? []) as Found[],
        size: execution?.taskRunList.find((r) => r.taskId === "first")?.outputs?.size,
      }));
    };
    const executions = await pollUntil(
      found,
      (all) => all.flatMap((e) => e.objects).length >= 2,
      20_000,
      100,
    );
    const objects = executions.flatMap((e) => e.objects);
    expect(objects.map((o) => [o.key, o.size])).toEqual([
      ["in/one.csv", 4],
      ["in/two.csv", 6],
    ]);
    expect(objects[0]?.uri).toMatch(/^kestra:\/\/\/poll\/team\/on_drop\/triggers\/drop\/.+\/one\.csv$/);
    // Each execution's task read its first file from the internal storage.
    expect(executions.map((e) => e.size)).toEqual(executions.map((e) => e.objects[0]?.size));
    expect(await bucket.list("kestra:///in/")).toEqual([]);
  }, 60_000);
});
