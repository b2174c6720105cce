import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { jsonPayload, parsePayload, postJson, postPayload, requestOptions, webhookUrl } from "./http";
import { type ExecutionSummaryData, executionShape, fieldText, outcome, summarise } from "./summary";

const WEBHOOK = "notifications.discord.DiscordIncomingWebhook";
const EXECUTION = "notifications.discord.DiscordExecution";

const url = webhookUrl(
  "The Discord",
  "See Discord's [webhooks](https://discord.com/developers/docs/resources/webhook); keep it in a secret.",
);

export const discordIncomingWebhookPlugin = definePlugin({
  type: WEBHOOK,
  kind: "runnable",
  title: "Send a Discord message through an incoming webhook.",
  description: [
    "POSTs `payload` (Discord's webhook message: `content`, `username`, `embeds`...) to a Discord webhook.",
    "A response of 400 or more fails the task. The URL goes through the outbound-address policy of",
    "`core.http.Request`. For a summary of an execution, use `DiscordExecution`.",
  ].join("\n"),
  schema: z.object({
    url,
    payload: jsonPayload("The Discord message payload."),
    options: requestOptions.optional(),
  }),
  examples: [
    {
      title: "Send a Discord notification on a failed flow execution",
      flow: `id: unreliable_flow
namespace: company.team

tasks:
  - id: fail
    type: io.kestra.plugin.core.execution.Fail

errors:
  - id: alert_on_failure
    type: io.kestra.plugin.notifications.discord.DiscordIncomingWebhook
    url: "{{ secret('DISCORD_WEBHOOK') }}" # https://discord.com/api/webhooks/000000/xxxxxxxxxxx
    payload: |
      {
        "username": "MyUsername",
        "content": "Failure alert for flow {{ flow.namespace }}.{{ flow.id }} with ID {{ execution.id }}"
      }
`,
    },
  ],
  run: (ctx) => postPayload(ctx, "Discord webhook"),
});

const embed = z.strictObject({
  title: z.string().optional().describe("The title."),
  websiteUrl: z.string().optional().describe("The URL the title links to."),
  description: z.string().optional().describe("The text of the embed."),
  thumbnail: z.string().optional().describe("The URL of a thumbnail."),
  authorName: z.string().optional().describe("The author's name."),
  color: z
    .array(z.number().int().min(0).max(255))
    .optional()
    .describe("The colour of the embed's border as RGB, e.g. `[255, 0, 0]`."),
  footer: z.string().optional().describe("The footer text."),
});
type Embed = z.output<typeof embed>;

/** One of `embedList` as Discord's API takes it (Kestra's `Embed.getEmbedMap`). */
function embedMap(entry: Embed, avatarUrl: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (entry.title !== undefined) out.title = entry.title;
  if (entry.description !== undefined) out.description = entry.description;
  if (entry.websiteUrl !== undefined) out.url = entry.websiteUrl;
  if (entry.thumbnail !== undefined) out.thumbnail = { url: entry.thumbnail };
  if (entry.authorName !== undefined)
    out.author = { name: entry.authorName, url: entry.websiteUrl ?? null, icon_url: avatarUrl ?? null };
  if (entry.color !== undefined) {
    const [r = 0, g = 0, b = 0] = entry.color;
    out.color = entry.color.length >= 3 ? (r << 16) + (g << 8) + b : 0;
  }
  if (entry.footer !== undefined) out.footer = { text: entry.footer };
  return out;
}

/** The summary embed (Kestra's discord-template.peb), with the custom message and fields. */
export function discordSummaryEmbed(summary: ExecutionSummaryData): Record<string, unknown> {
  const { execution, link } = summary;
  const lines = [
    ...(summary.customMessage !== undefined ? [summary.customMessage, ""] : []),
    `Namespace: ${execution.namespace}`,
    `Flow ID: ${execution.flowId}`,
    `Execution ID: ${execution.id}`,
    `Execution Status: ${execution.state}`,
    `Final task ID: ${summary.lastTask?.taskId ?? ""}`,
    ...(link ? ["", `[Link to the Execution page](${link})`] : []),
  ];
  const fields = Object.entries(summary.customFields ?? {}).map(([name, value]) => ({
    name,
    value: fieldText(value),
    inline: true,
  }));
  return {
    description: lines.join("\n"),
    ...(fields.length ? { fields } : {}),
    footer: { text: outcome(summary) },
  };
}

export const discordExecutionPlugin = definePlugin({
  type: EXECUTION,
  kind: "runnable",
  title: "Send a Discord message with a summary of an execution.",
  description: [
    "Sends a summary of an execution (namespace, flow, id, state, last task, the failed task and the",
    "duration, with a link to the execution page when CADENZA_PUBLIC_URL is set) as an embed to a Discord",
    "webhook. `customMessage` opens the embed's text and `customFields` become its fields. With",
    "`embedList`, the summary is merged into the first of your embeds. Set `payload` to send your own",
    "message instead.",
  ].join("\n"),
  schema: z.object({
    url,
    ...executionShape,
    username: z.string().optional().describe("The webhook's user name, overriding its default."),
    avatarUrl: z.string().optional().describe("The webhook's avatar URL, overriding its default."),
    content: z.string().optional().describe("The message's text, above the embeds."),
    embedList: z.array(embed).optional().describe("Embeds of the message."),
    payload: jsonPayload("A payload to send instead of the summary."),
    options: requestOptions.optional(),
  }),
  examples: [
    {
      title: "Report every execution's outcome to Discord",
      flow: `id: discord_summary
namespace: company.team

tasks:
  - id: work
    type: io.kestra.plugin.core.log.Log
    message: working

afterExecution:
  - id: discord
    type: io.kestra.plugin.notifications.discord.DiscordExecution
    url: "{{ secret('DISCORD_WEBHOOK') }}"
    username: Cadenza
    content: "Execution {{ execution.id }} ended"
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    if (p.payload !== undefined && !(typeof p.payload === "string" && p.payload.trim() === "")) {
      await postJson(ctx, {
        url: p.url,
        body: parsePayload(p.payload),
        options: p.options,
        what: "Discord webhook",
      });
      return {};
    }
    const summary = discordSummaryEmbed(await summarise(ctx, p, EXECUTION));
    const body: Record<string, unknown> = {};
    if (p.username !== undefined) body.username = p.username;
    if (p.avatarUrl !== undefined) body.avatar_url = p.avatarUrl;
    body.tts = false;
    const embeds = p.embedList?.length
      ? p.embedList.map((entry, index) => ({
          ...embedMap(entry, p.avatarUrl),
          ...(index === 0 ? summary : {}),
        }))
      : [summary];
    body.embeds = embeds;
    if (p.content !== undefined) body.content = p.content;
    await postJson(ctx, { url: p.url, body, options: p.options, what: "Discord webhook" });
    return {};
  },
});
