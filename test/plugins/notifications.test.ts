// Notification tasks against local HTTP servers that answer as Slack, Discord, Teams, Google Chat and
// Telegram's Bot API do; each test asserts the exact request the service receives.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Execution } from "@/engine/executor";
import { errorOf, newEngine, run, taskRun } from "./helpers";

// The services listen on 127.0.0.1: these tests allow that one address (the default refuses it).
const TEST_SERVER = { allowPrivateNetworks: false, allowedNetworks: ["127.0.0.1/32"] };
const PUBLIC_URL = "https://cadenza.example.com";

interface Received {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}
let received: Received[] = [];
let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const path = String(request.url);
      received.push({
        method: String(request.method),
        path,
        headers: request.headers,
        body: JSON.parse(text),
      });
      // Each service's answer: Slack "ok" as text, Discord 204, Teams "1", Google Chat the message,
      // Telegram {"ok": true, "result": ...}; the ".../broken" hooks answer as the services do on errors.
      if (path === "/slack/broken") return response.writeHead(404).end("no_service");
      if (path.startsWith("/slack/"))
        return response.writeHead(200, { "content-type": "text/plain" }).end("ok");
      if (path.startsWith("/discord/")) return response.writeHead(204).end();
      if (path.startsWith("/teams/")) return response.writeHead(200).end("1");
      if (path.startsWith("/chat/"))
        return response.writeHead(200, { "content-type": "application/json" }).end(text);
      const bot = /^\/telegram\/bot([^/]+)\/sendMessage$/.exec(path);
      if (bot) {
        const ok = bot[1] === "123:good";
        response.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
        return response.end(
          JSON.stringify(
            ok
              ? { ok: true, result: { message_id: 1, text: (JSON.parse(text) as { text: string }).text } }
              : { ok: false, error_code: 401, description: "Unauthorized" },
          ),
        );
      }
      response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
});

const engineOf = () => newEngine({ httpPolicy: TEST_SERVER, publicUrl: PUBLIC_URL }).engine;
const link = (execution: Execution) => `${PUBLIC_URL}/executions/${execution.id}`;
const seconds = (execution: Execution) => Math.floor(Date.parse(execution.state.startDate) / 1000);

/** A flow whose `extract` task fails, so the errors branch and afterExecution run. */
const failing = (errors: string, afterExecution = "") => `id: nightly
namespace: company.team
tasks:
  - id: start
    type: io.kestra.plugin.core.log.Log
    message: starting
  - id: extract
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: source unreachable
errors:
${errors}
${afterExecution ? `afterExecution:\n${afterExecution}` : ""}`;

describe("Slack", () => {
  it("SlackIncomingWebhook POSTs the payload as JSON, rendered", async () => {
    const engine = engineOf();
    const execution = await run(
      engine,
      failing(`  - id: alert
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: ${base}/slack/hook
    payload: |
      {"text": "Failure alert for flow {{ flow.namespace }}.{{ flow.id }} with ID {{ execution.id }}"}
`),
    );
    expect(taskRun(execution, "alert").state.current).toBe("SUCCESS");
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: "POST", path: "/slack/hook" });
    expect(received[0]?.headers["content-type"]).toBe("application/json");
    expect(received[0]?.body).toEqual({
      text: `Failure alert for flow company.team.nightly with ID ${execution.id}`,
    });
  });

  it("messageText: markdown becomes Slack's mrkdwn, a JSON object is sent as it is", async () => {
    const engine = engineOf();
    await run(
      engine,
      `id: slack_text
namespace: company.team
tasks:
  - id: markdown
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: ${base}/slack/a
    messageText: "**{{ flow.id }}** done, __really__: [runbook](https://example.com/r)"
  - id: json
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: ${base}/slack/b
    messageText: '{"blocks": [{"type": "divider"}]}'
`,
    );
    expect(received.map((r) => r.body)).toEqual([
      { text: "*slack_text* done, _really_: <https://example.com/r|runbook>" },
      { blocks: [{ type: "divider" }] },
    ]);
  });

  it("SlackExecution in afterExecution sends the summary: state, failed task, link, custom fields", async () => {
    const engine = engineOf();
    const execution = await run(
      engine,
      failing(
        `  - id: log_error
    type: io.kestra.plugin.core.log.Log
    message: failed
`,
        `  - id: slack
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: ${base}/slack/summary
    customMessage: "Nightly run of *{{ flow.id }}*"
    customFields:
      Environment: production
      Attempts: 3
    username: cadenza
`,
      ),
    );
    expect(execution.state.current).toBe("FAILED");
    expect(taskRun(execution, "slack").state.current).toBe("SUCCESS");
    const text = `*<${link(execution)}|[company.team] nightly ➛ FAILED>*\n> Failed on task \`extract\` after 00:00:00.000`;
    expect(received).toHaveLength(1);
    expect(received[0]?.body).toEqual({
      text,
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: "Nightly run of *nightly*" } },
        {
          type: "section",
          text: { type: "mrkdwn", text },
          accessory: { type: "button", text: { type: "plain_text", text: "Details" }, url: link(execution) },
        },
      ],
      attachments: [
        {
          color: "danger",
          fields: [
            { title: "Namespace", value: "company.team", short: true },
            { title: "Flow ID", value: "nightly", short: true },
            { title: "Execution ID", value: execution.id, short: true },
            { title: "Execution Status", value: "FAILED", short: true },
            { title: "Environment", value: "production", short: true },
            { title: "Attempts", value: "3", short: true },
            { title: "Final task ID", value: "log_error", short: true },
          ],
          ts: seconds(execution),
        },
      ],
      username: "cadenza",
    });
  });

  it("reports a successful execution in green, and without a link when no public URL is set", async () => {
    const { engine } = newEngine({ httpPolicy: TEST_SERVER });
    const execution = await run(
      engine,
      `id: fine
namespace: company.team
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT1M30.5S
afterExecution:
  - id: slack
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: ${base}/slack/ok
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    const body = received[0]?.body as { text: string; blocks: unknown[]; attachments: { color: string }[] };
    expect(body.text).toBe("*[company.team] fine ➛ SUCCESS*\n> Succeeded after 00:01:30.500");
    expect(body.blocks).toEqual([{ type: "section", text: { type: "mrkdwn", text: body.text } }]);
    expect(body.attachments[0]?.color).toBe("good");
  });

  it("fails the task with the service's answer on a 4xx", async () => {
    const engine = engineOf();
    const execution = await run(
      engine,
      `id: broken
namespace: company.team
tasks:
  - id: alert
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: ${base}/slack/broken
    payload: '{"text": "hi"}'
`,
    );
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "alert")).toBe("Slack webhook failed: the server answered 404: no_service");
  });

  it("refuses a webhook on a private address unless the operator allows it", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: internal
namespace: company.team
tasks:
  - id: alert
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: ${base}/slack/hook
    payload: '{"text": "hi"}'
`,
    );
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "alert")).toMatch(
      /^Slack webhook failed: http request to 127\.0\.0\.1 refused/,
    );
    expect(received).toEqual([]);
  });

  it("says which property is not valid JSON", async () => {
    const engine = engineOf();
    const execution = await run(
      engine,
      `id: bad_json
namespace: company.team
tasks:
  - id: alert
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: ${base}/slack/hook
    payload: '{"text": '
`,
    );
    expect(errorOf(execution, "alert")).toMatch(/^payload is not valid JSON: /);
    expect(received).toEqual([]);
  });
});

describe("Discord", () => {
  it("DiscordExecution sends the summary embed, merged into the first of embedList", async () => {
    const engine = engineOf();
    const execution = await run(
      engine,
      failing(`  - id: discord
    type: io.kestra.plugin.notifications.discord.DiscordExecution
    url: ${base}/discord/hook
    username: Cadenza
    avatarUrl: https://example.com/a.png
    content: "Nightly run ended"
    customFields:
      Team: data
    embedList:
      - title: Nightly
        color: [255, 0, 16]
        authorName: ops
        websiteUrl: https://example.com
`),
    );
    expect(taskRun(execution, "discord").state.current).toBe("SUCCESS");
    expect(received[0]?.body).toEqual({
      username: "Cadenza",
      avatar_url: "https://example.com/a.png",
      tts: false,
      embeds: [
        {
          title: "Nightly",
          url: "https://example.com",
          author: { name: "ops", url: "https://example.com", icon_url: "https://example.com/a.png" },
          color: (255 << 16) + 16,
          description: [
            "Namespace: company.team",
            "Flow ID: nightly",
            `Execution ID: ${execution.id}`,
            // In errors the execution is still running; the failed task is named all the same.
            "Execution Status: RUNNING",
            "Final task ID: extract",
            "",
            `[Link to the Execution page](${link(execution)})`,
          ].join("\n"),
          fields: [{ name: "Team", value: "data", inline: true }],
          footer: { text: "Failed on task `extract` after 00:00:00.000" },
        },
      ],
      content: "Nightly run ended",
    });
  });

  it("DiscordIncomingWebhook sends the payload", async () => {
    const engine = engineOf();
    await run(
      engine,
      `id: discord_hook
namespace: company.team
tasks:
  - id: discord
    type: io.kestra.plugin.notifications.discord.DiscordIncomingWebhook
    url: ${base}/discord/hook
    payload:
      username: MyUsername
      content: "Hello from {{ flow.id }}"
`,
    );
    expect(received[0]?.body).toEqual({ username: "MyUsername", content: "Hello from discord_hook" });
  });
});

describe("Microsoft Teams and Google Chat", () => {
  it("TeamsExecution reports another execution given by executionId", async () => {
    const engine = engineOf();
    const failed = await run(
      engine,
      failing("  - id: noop\n    type: io.kestra.plugin.core.log.Log\n    message: x\n"),
    );
    received = [];
    const watcher = await run(
      engine,
      `id: watcher
namespace: company.team
inputs:
  - id: failed
    type: STRING
tasks:
  - id: teams
    type: io.kestra.plugin.notifications.teams.TeamsExecution
    url: ${base}/teams/hook
    executionId: "{{ inputs.failed }}"
    activityTitle: A production flow failed
    customMessage: Check the source
`,
      { failed: failed.id },
    );
    expect(taskRun(watcher, "teams").state.current).toBe("SUCCESS");
    expect(received[0]?.body).toEqual({
      "@type": "MessageCard",
      "@context": "http://schema.org/extensions",
      themeColor: "0076D7",
      summary: `*<${link(failed)}|[company.team] nightly ➛ FAILED>*\n> Failed on task \`extract\` after 00:00:00.000`,
      text: "Check the source",
      sections: [
        {
          activityTitle: "A production flow failed",
          facts: [
            { name: "Namespace", value: "company.team" },
            { name: "Flow ID", value: "nightly" },
            { name: "Execution ID", value: failed.id },
            { name: "Execution Status", value: "FAILED" },
            { name: "Final task ID", value: "noop" },
          ],
          markdown: true,
        },
      ],
      potentialAction: [
        { "@type": "OpenUri", name: "Details", targets: [{ os: "default", uri: link(failed) }] },
      ],
    });
  });

  it("an execution outside the flow's namespace boundaries is not reported", async () => {
    const engine = engineOf();
    const other = await run(
      engine,
      "id: secret_flow\nnamespace: finance\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: x\n",
    );
    const execution = await run(
      engine,
      `id: snoop
namespace: company.team
tasks:
  - id: teams
    type: io.kestra.plugin.notifications.teams.TeamsExecution
    url: ${base}/teams/hook
    executionId: ${other.id}
`,
    );
    const missing = await run(
      engine,
      `id: missing
namespace: company.team
tasks:
  - id: missing
    type: io.kestra.plugin.notifications.teams.TeamsExecution
    url: ${base}/teams/hook
    executionId: no-such-execution
`,
    );
    expect(errorOf(execution, "teams")).toBe(
      "namespace 'company.team' may not reach 'finance': add it to finance's allowed namespaces",
    );
    expect(errorOf(missing, "missing")).toBe("execution 'no-such-execution' not found");
    expect(received).toEqual([]);
  });

  it("GoogleChatExecution sends the summary as text; GoogleChatIncomingWebhook the payload", async () => {
    const engine = engineOf();
    const execution = await run(
      engine,
      `id: chat
namespace: company.team
tasks:
  - id: hello
    type: io.kestra.plugin.notifications.google.GoogleChatIncomingWebhook
    url: ${base}/chat/hook
    payload: '{"text": "Hello {{ flow.id }}"}'
afterExecution:
  - id: summary
    type: io.kestra.plugin.notifications.google.GoogleChatExecution
    url: ${base}/chat/hook
    customFields:
      Env: prod
`,
    );
    expect(received.map((r) => r.body)).toEqual([
      { text: "Hello chat" },
      {
        text: `Execution notification: Namespace company.team, Flow ID chat, Execution ID ${execution.id}, Execution Status SUCCESS, Final task ID hello, Env prod. *<${link(execution)}|[company.team] chat ➛ SUCCESS>*\n> Succeeded after 00:00:00.000`,
      },
    ]);
  });
});

describe("Telegram", () => {
  it("TelegramSend calls the Bot API's sendMessage with chat_id, text and parse_mode", async () => {
    const engine = engineOf();
    await run(
      engine,
      `id: telegram
namespace: company.team
tasks:
  - id: send
    type: io.kestra.plugin.notifications.telegram.TelegramSend
    endpointOverride: ${base}/telegram
    token: "123:good"
    channel: "@alerts"
    parseMode: MARKDOWNV2
    payload: "*{{ flow.id }}* ran"
`,
    );
    expect(received).toEqual([
      expect.objectContaining({
        method: "POST",
        path: "/telegram/bot123:good/sendMessage",
        body: { chat_id: "@alerts", text: "*telegram* ran", parse_mode: "MarkdownV2" },
      }),
    ]);
  });

  it("TelegramExecution sends the summary; a refused token fails without showing the token", async () => {
    const engine = engineOf();
    const execution = await run(
      engine,
      `id: telegram_summary
namespace: company.team
tasks:
  - id: work
    type: io.kestra.plugin.core.log.Log
    message: working
afterExecution:
  - id: telegram
    type: io.kestra.plugin.notifications.telegram.TelegramExecution
    endpointOverride: ${base}/telegram
    token: "123:good"
    channel: "2072728690"
    customMessage: Done
  - id: wrong_token
    type: io.kestra.plugin.notifications.telegram.TelegramExecution
    endpointOverride: ${base}/telegram
    token: "999:bad-secret"
    channel: "2072728690"
`,
    );
    expect(received[0]?.body).toEqual({
      chat_id: "2072728690",
      text: `Done\n<company.team telegram_summary ${execution.id} ➛ SUCCESS - Final task ID ➛ work> Succeeded after 00:00:00.000 (${link(execution)})`,
    });
    const error = errorOf(execution, "wrong_token") ?? "";
    expect(error).toMatch(/^Telegram sendMessage failed: the server answered 401/);
    expect(error).not.toContain("bad-secret");
  });
});
