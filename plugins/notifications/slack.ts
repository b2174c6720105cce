import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { jsonPayload, parsePayload, postJson, requestOptions, webhookUrl } from "./http";
import {
  type ExecutionSummaryData,
  executionShape,
  fieldText,
  headline,
  outcome,
  summarise,
} from "./summary";

const WEBHOOK = "notifications.slack.SlackIncomingWebhook";
const EXECUTION = "notifications.slack.SlackExecution";

const url = webhookUrl(
  "The Slack",
  "See Slack's [incoming webhooks](https://api.slack.com/messaging/webhooks); keep it in a secret.",
);

/** Markdown as people write it, turned into Slack's mrkdwn (bold, italic, links), as Kestra does. */
export function toSlackMrkdwn(text: string): string {
  return text
    .replace(/\*\*(.*?)\*\*/g, "*$1*")
    .replace(/__(.*?)__/g, "_$1_")
    .replace(/\[(.*?)\]\((.*?)\)/g, "<$2|$1>");
}

/** `messageText`: a JSON object is sent as it is; anything else becomes `{"text": ...}` in mrkdwn. */
function messageTextPayload(text: string): unknown {
  try {
    const parsed = JSON.parse(text);
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) return parsed;
  } catch {
    // Not JSON: plain text with markdown.
  }
  return { text: toSlackMrkdwn(text) };
}

const webhookSchema = z.object({
  url,
  payload: jsonPayload(
    "The Slack message payload: `text`, `blocks`, `attachments`... as Slack's API takes them.",
  ),
  messageText: z
    .string()
    .optional()
    .describe(
      'The message as text with markdown (`**bold**`, `__italic__`, `[link](url)` become Slack\'s mrkdwn), or a JSON object sent as it is; anything else is sent as `{"text": ...}`. Ignored when `payload` is set.',
    ),
  options: requestOptions.optional(),
});

export const slackIncomingWebhookPlugin = definePlugin({
  type: WEBHOOK,
  // Its newest home in Kestra: plugin-slack.
  aliases: ["io.kestra.plugin.slack.notifications.SlackIncomingWebhook"],
  kind: "runnable",
  title: "Send a Slack message through an incoming webhook.",
  description: [
    "POSTs `payload` (or `messageText`) to a Slack incoming webhook. Also works with Slack-compatible",
    "webhooks (Rocket.Chat, Mattermost). A response of 400 or more fails the task.",
    "",
    "The webhook URL goes through the same outbound-address policy as `core.http.Request`: loopback and",
    "private addresses are refused unless the operator allows them (CADENZA_HTTP_ALLOWED_NETWORKS).",
    "Use it in `errors` to alert on a failure; for a summary of the execution, use `SlackExecution`.",
  ].join("\n"),
  schema: webhookSchema,
  examples: [
    {
      title: "Send a Slack notification on a failed flow execution",
      flow: `id: unreliable_flow
namespace: company.team

tasks:
  - id: fail
    type: io.kestra.plugin.core.execution.Fail

errors:
  - id: alert_on_failure
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: "{{ secret('SLACK_WEBHOOK') }}" # https://hooks.slack.com/services/xzy/xyz/xyz
    payload: |
      {
        "text": "Failure alert for flow {{ flow.namespace }}.{{ flow.id }} with ID {{ execution.id }}"
      }
`,
    },
    {
      title: "Send a message written in markdown with messageText",
      flow: `id: slack_message_text
namespace: company.team

tasks:
  - id: send_slack_message
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: "{{ secret('SLACK_WEBHOOK') }}"
    messageText: "**{{ flow.id }}** finished, see [the docs](https://example.com/runbook)"
`,
    },
  ],
  async run(ctx) {
    const { payload, messageText } = ctx.properties;
    if (payload === undefined && messageText === undefined)
      throw new Error("either 'messageText' or 'payload' must be provided");
    const body = payload !== undefined ? parsePayload(payload) : messageTextPayload(messageText as string);
    await postJson(ctx, {
      url: ctx.properties.url,
      body,
      options: ctx.properties.options,
      what: "Slack webhook",
    });
    return {};
  },
});

/** The message of SlackExecution: the shape of Kestra's slack-template.peb, built as data. */
export function slackExecutionPayload(summary: ExecutionSummaryData): Record<string, unknown> {
  const { execution, link } = summary;
  const title = link ? `*<${link}|${headline(summary)}>*` : `*${headline(summary)}*`;
  const text = `${title}\n> ${outcome(summary)}`;
  const blocks: unknown[] = [];
  if (summary.customMessage !== undefined)
    blocks.push({ type: "section", text: { type: "mrkdwn", text: summary.customMessage } });
  blocks.push({
    type: "section",
    text: { type: "mrkdwn", text },
    ...(link
      ? { accessory: { type: "button", text: { type: "plain_text", text: "Details" }, url: link } }
      : {}),
  });
  const state = execution.state;
  const fields = [
    { title: "Namespace", value: execution.namespace, short: true },
    { title: "Flow ID", value: execution.flowId, short: true },
    { title: "Execution ID", value: execution.id, short: true },
    { title: "Execution Status", value: state, short: true },
    ...Object.entries(summary.customFields ?? {}).map(([title, value]) => ({
      title,
      value: fieldText(value),
      short: true,
    })),
    { title: "Final task ID", value: summary.lastTask?.taskId ?? null, short: true },
  ];
  return {
    text,
    blocks,
    attachments: [
      {
        color: state === "SUCCESS" ? "good" : state === "WARNING" ? "warning" : "danger",
        fields,
        ts: Math.floor(Date.parse(summary.startDate) / 1000),
      },
    ],
  };
}

export const slackExecutionPlugin = definePlugin({
  type: EXECUTION,
  aliases: ["io.kestra.plugin.slack.SlackExecution"],
  kind: "runnable",
  title: "Send a Slack message with a summary of an execution.",
  description: [
    "Sends a summary of an execution — namespace, flow, id, state, duration, the task that failed and the",
    "last task that ran, with a **Details** button linking to the execution page — to a Slack incoming",
    "webhook. The link needs the server's public URL (CADENZA_PUBLIC_URL); without it the message has none.",
    "",
    "Put it in `afterExecution` to report every execution's outcome, or in a flow with a Flow trigger with",
    '`executionId: "{{ trigger.executionId }}"` to watch other flows. In `errors` the execution is still',
    "running, so the state shown is RUNNING (the failed task is named all the same).",
  ].join("\n"),
  schema: z.object({
    url,
    ...executionShape,
    channel: z
      .string()
      .optional()
      .describe("The channel to post to; only legacy webhooks honour it (new ones are tied to one channel)."),
    username: z.string().optional().describe("The author's name; only legacy webhooks honour it."),
    iconUrl: z.string().optional().describe("The URL of the author's icon; only legacy webhooks honour it."),
    iconEmoji: z.string().optional().describe("The author's emoji icon; only legacy webhooks honour it."),
    options: requestOptions.optional(),
  }),
  examples: [
    {
      title: "Report every execution's outcome to Slack",
      flow: `id: nightly_etl
namespace: company.team

tasks:
  - id: extract
    type: io.kestra.plugin.core.log.Log
    message: extracting

afterExecution:
  - id: slack
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: "{{ secret('SLACK_WEBHOOK') }}"
    customMessage: "Nightly ETL finished"
    customFields:
      Environment: production
`,
    },
    {
      title: "Alert on failed executions of every flow of a namespace",
      flow: `id: failure_alert
namespace: company.team

tasks:
  - id: send_alert
    type: io.kestra.plugin.notifications.slack.SlackExecution
    url: "{{ secret('SLACK_WEBHOOK') }}"
    executionId: "{{ trigger.executionId }}"

triggers:
  - id: failed_prod_workflows
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionStatus
        in:
          - FAILED
          - WARNING
      - type: io.kestra.plugin.core.condition.ExecutionNamespace
        namespace: prod
        prefix: true
`,
    },
  ],
  async run(ctx) {
    const summary = await summarise(ctx, ctx.properties, EXECUTION);
    const body: Record<string, unknown> = slackExecutionPayload(summary);
    const { channel, username, iconUrl, iconEmoji } = ctx.properties;
    if (channel !== undefined) body.channel = channel;
    if (username !== undefined) body.username = username;
    if (iconUrl !== undefined) body.icon_url = iconUrl;
    if (iconEmoji !== undefined) body.icon_emoji = iconEmoji;
    await postJson(ctx, {
      url: ctx.properties.url,
      body,
      options: ctx.properties.options,
      what: "Slack webhook",
    });
    return {};
  },
});
