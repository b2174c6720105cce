// The *Execution notification tasks on the embedded engine: the execution is read from PostgreSQL through
// the tenant's execution service (another tenant's execution is not found), and the summary reaches a
// local HTTP server speaking Slack's webhook API.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setUpEmbeddedEngine, TENANT } from "@/worker/embedded/test/harness";

const PUBLIC_URL = "https://cadenza.example.com";
const h = setUpEmbeddedEngine({
  httpPolicy: () => ({ allowPrivateNetworks: false, allowedNetworks: ["127.0.0.1/32"] }),
  publicUrl: PUBLIC_URL,
});

const received: unknown[] = [];
let server: Server;
let base = "";
beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      response.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await h.startRuntime();
}, 60_000);
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("SlackExecution on the embedded engine", () => {
  it("reports the ended state, the failed task and the link, read from the database", async () => {
    await h.deploy(`id: nightly
namespace: company.team
tasks:
  - id: extract
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: source unreachable
afterExecution:
  - id: slack
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: ${base}/slack
`);
    const started = await h.client.start(TENANT, "company.team", "nightly", {});
    const ended = await h.client.waitForEnd(TENANT, started.id, 60_000);
    expect(ended.state.current).toBe("FAILED");
    expect(ended.taskRunList.find((r) => r.taskId === "slack")?.state.current).toBe("SUCCESS");
    const body = received.at(-1) as { text: string; attachments: { fields: unknown[] }[] };
    expect(body.text).toMatch(
      new RegExp(
        `^\\*<${PUBLIC_URL}/executions/${ended.id}\\|\\[company\\.team\\] nightly ➛ FAILED>\\*\\n> Failed on task \`extract\` after \\d\\d:\\d\\d:\\d\\d\\.\\d{3}$`,
      ),
    );
    expect(body.attachments[0]?.fields).toContainEqual({
      title: "Final task ID",
      value: "extract",
      short: true,
    });
  });

  it("does not find another tenant's execution", async () => {
    const other = "tenant-other";
    await h.deploy(
      "id: private_flow\nnamespace: company.team\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: x\n",
      other,
    );
    const theirs = await h.client.start(other, "company.team", "private_flow", {});
    await h.client.waitForEnd(other, theirs.id, 60_000);
    await h.deploy(`id: snoop
namespace: company.team
tasks:
  - id: slack
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: ${base}/slack
    executionId: ${theirs.id}
`);
    const count = received.length;
    const started = await h.client.start(TENANT, "company.team", "snoop", {});
    const ended = await h.client.waitForEnd(TENANT, started.id, 60_000);
    expect(ended.state.current).toBe("FAILED");
    const run = ended.taskRunList.find((r) => r.taskId === "slack");
    expect(run?.attempts.at(-1)?.error?.message).toBe(`execution '${theirs.id}' not found`);
    expect(received.length).toBe(count);
  });
});
