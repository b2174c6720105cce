import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { jsonPayload, postJson, postPayload, requestOptions, webhookUrl } from "./http";
import {
  type ExecutionSummaryData,
  executionShape,
  fieldText,
  headline,
  outcome,
  summarise,
} from "./summary";

const WEBHOOK = "notifications.google.GoogleChatIncomingWebhook";
const EXECUTION = "notifications.google.GoogleChatExecution";

const url = webhookUrl(
  "The Google Chat",
  "See Google's [incoming webhooks](https://developers.google.com/workspace/chat/quickstart/webhooks); keep it in a secret.",
);

export const googleChatIncomingWebhookPlugin = definePlugin({
  type: WEBHOOK,
  kind: "runnable",
  title: "Send a Google Chat message through an incoming webhook.",
  description: [
    "POSTs `payload` (Google Chat's message: `text`, `cardsV2`...) to a Google Chat space's webhook. A",
    "response of 400 or more fails the task. The URL goes through the outbound-address policy of",
    "`core.http.Request`. For a summary of an execution, use `GoogleChatExecution`.",
  ].join("\n"),
  schema: z.object({
    url,
    payload: jsonPayload("The Google Chat message payload."),
    options: requestOptions.optional(),
  }),
  examples: [
    {
      title: "Send a Google Chat notification on a failed flow execution",
      flow: `id: unreliable_flow
namespace: company.team

tasks:
  - id: fail
    type: io.kestra.plugin.core.execution.Fail

errors:
  - id: alert_on_failure
    type: io.kestra.plugin.notifications.google.GoogleChatIncomingWebhook
    url: "{{ secret('GOOGLE_WEBHOOK') }}" # https://chat.googleapis.com/v1/spaces/xzy/messages
    payload: |
      {
        "text": "Failure alert for flow {{ flow.namespace }}.{{ flow.id }} with ID {{ execution.id }}"
      }
`,
    },
  ],
  run: (ctx) => postPayload(ctx, "Google Chat webhook"),
});

/** The text of GoogleChatExecution (Kestra's google-chat-template.peb). */
export function googleChatText(summary: ExecutionSummaryData): string {
  const { execution, link } = summary;
  const custom = Object.entries(summary.customFields ?? {})
    .map(([name, value]) => `, ${name} ${fieldText(value)}`)
    .join("");
  const title = link ? `*<${link}|${headline(summary)}>*` : `*${headline(summary)}*`;
  return [
    ...(summary.customMessage !== undefined ? [`${summary.customMessage}\n`] : []),
    `Execution notification: Namespace ${execution.namespace}, Flow ID ${execution.flowId}, Execution ID ${execution.id}, Execution Status ${execution.state}, Final task ID ${summary.lastTask?.taskId ?? ""}${custom}. ${title}\n> ${outcome(summary)}`,
  ].join("");
}

export const googleChatExecutionPlugin = definePlugin({
  type: EXECUTION,
  kind: "runnable",
  title: "Send a Google Chat message with a summary of an execution.",
  description: [
    "Sends a one-message summary of an execution (namespace, flow, id, state, last task, the failed task",
    "and the duration, linking to the execution page when CADENZA_PUBLIC_URL is set) to a Google Chat",
    "webhook. `text` replaces the summary with your own text.",
  ].join("\n"),
  schema: z.object({
    url,
    ...executionShape,
    text: z.string().optional().describe("A text sent instead of the summary."),
    options: requestOptions.optional(),
  }),
  examples: [
    {
      title: "Report every execution's outcome to Google Chat",
      flow: `id: google_chat_summary
namespace: company.team

tasks:
  - id: work
    type: io.kestra.plugin.core.log.Log
    message: working

afterExecution:
  - id: google_chat
    type: io.kestra.plugin.notifications.google.GoogleChatExecution
    url: "{{ secret('GOOGLE_WEBHOOK') }}"
    customFields:
      Environment: production
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const text = p.text ?? googleChatText(await summarise(ctx, p, EXECUTION));
    await postJson(ctx, { url: p.url, body: { text }, options: p.options, what: "Google Chat webhook" });
    return {};
  },
});
