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

const WEBHOOK = "notifications.teams.TeamsIncomingWebhook";
const EXECUTION = "notifications.teams.TeamsExecution";

const url = webhookUrl(
  "The Microsoft Teams",
  "See Microsoft's [incoming webhooks](https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook) (or a Workflows webhook); keep it in a secret.",
);

export const teamsIncomingWebhookPlugin = definePlugin({
  type: WEBHOOK,
  kind: "runnable",
  title: "Send a Microsoft Teams message through an incoming webhook.",
  description: [
    "POSTs `payload` (a MessageCard or an Adaptive Card message) to a Microsoft Teams webhook. A response",
    "of 400 or more fails the task. The URL goes through the outbound-address policy of `core.http.Request`.",
    "For a summary of an execution, use `TeamsExecution`.",
  ].join("\n"),
  schema: z.object({
    url,
    payload: jsonPayload("The Teams message payload."),
    options: requestOptions.optional(),
  }),
  examples: [
    {
      title: "Send a Microsoft Teams notification on a failed flow execution",
      flow: `id: unreliable_flow
namespace: company.team

tasks:
  - id: fail
    type: io.kestra.plugin.core.execution.Fail

errors:
  - id: alert_on_failure
    type: io.kestra.plugin.notifications.teams.TeamsIncomingWebhook
    url: "{{ secret('TEAMS_WEBHOOK') }}"
    payload: |
      {
        "@type": "MessageCard",
        "@context": "http://schema.org/extensions",
        "themeColor": "0076D7",
        "summary": "Failure alert for flow {{ flow.namespace }}.{{ flow.id }} with ID {{ execution.id }}",
        "sections": [{ "activityTitle": "Flow {{ flow.id }} failed", "markdown": true }]
      }
`,
    },
  ],
  run: (ctx) => postPayload(ctx, "Teams webhook"),
});

/** The MessageCard of TeamsExecution (Kestra's teams-template.peb, built as data). */
export function teamsExecutionPayload(
  summary: ExecutionSummaryData,
  card: { themeColor: string; activityTitle?: string; activitySubtitle?: string },
): Record<string, unknown> {
  const { execution, link } = summary;
  const title = link ? `*<${link}|${headline(summary)}>*` : `*${headline(summary)}*`;
  const facts = [
    { name: "Namespace", value: execution.namespace },
    { name: "Flow ID", value: execution.flowId },
    { name: "Execution ID", value: execution.id },
    { name: "Execution Status", value: execution.state },
    { name: "Final task ID", value: summary.lastTask?.taskId ?? "" },
    ...Object.entries(summary.customFields ?? {}).map(([name, value]) => ({ name, value: fieldText(value) })),
  ];
  return {
    "@type": "MessageCard",
    "@context": "http://schema.org/extensions",
    themeColor: card.themeColor,
    summary: `${title}\n> ${outcome(summary)}`,
    ...(summary.customMessage !== undefined ? { text: summary.customMessage } : {}),
    sections: [
      {
        ...(card.activityTitle !== undefined ? { activityTitle: card.activityTitle } : {}),
        ...(card.activitySubtitle !== undefined ? { activitySubtitle: card.activitySubtitle } : {}),
        facts,
        markdown: true,
      },
    ],
    ...(link
      ? {
          potentialAction: [{ "@type": "OpenUri", name: "Details", targets: [{ os: "default", uri: link }] }],
        }
      : {}),
  };
}

export const teamsExecutionPlugin = definePlugin({
  type: EXECUTION,
  // Its newest home in Kestra: plugin-microsoft365.
  aliases: ["io.kestra.plugin.microsoft365.teams.TeamsExecution"],
  kind: "runnable",
  title: "Send a Microsoft Teams message with a summary of an execution.",
  description: [
    "Sends a MessageCard summarising an execution (namespace, flow, id, state, last task, the failed task",
    "and the duration) to a Teams webhook, with a **Details** action opening the execution page when",
    "CADENZA_PUBLIC_URL is set. `customMessage` is the card's text and `customFields` add facts.",
  ].join("\n"),
  schema: z.object({
    url,
    ...executionShape,
    themeColor: z.string().default("0076D7").describe("The card's colour, as a hex RGB value."),
    activityTitle: z.string().optional().describe("The title of the card's section."),
    activitySubtitle: z.string().optional().describe("The subtitle of the card's section."),
    options: requestOptions.optional(),
  }),
  examples: [
    {
      title: "Report failed executions of a namespace to Microsoft Teams",
      flow: `id: teams_failure_alert
namespace: company.team

tasks:
  - id: send_alert
    type: io.kestra.plugin.notifications.teams.TeamsExecution
    url: "{{ secret('TEAMS_WEBHOOK') }}"
    executionId: "{{ trigger.executionId }}"
    activityTitle: A production flow failed

triggers:
  - id: failed_prod_workflows
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionStatus
        in:
          - FAILED
          - WARNING
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const body = teamsExecutionPayload(await summarise(ctx, p, EXECUTION), p);
    await postJson(ctx, { url: p.url, body, options: p.options, what: "Teams webhook" });
    return {};
  },
});
