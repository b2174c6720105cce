import { z } from "zod";
import { definePlugin, type TaskRunContext } from "@/engine/plugin";
import { postJson, type RequestOptions, requestOptions } from "./http";
import { type ExecutionSummaryData, executionShape, fieldText, outcome, summarise } from "./summary";

const SEND = "notifications.telegram.TelegramSend";
const EXECUTION = "notifications.telegram.TelegramExecution";
const API = "https://api.telegram.org";

const PARSE_MODES = { HTML: "HTML", MARKDOWNV2: "MarkdownV2" } as const;

const botShape = {
  token: z.string().min(1).describe("The bot's API token (from @BotFather); keep it in a secret."),
  channel: z
    .string()
    .min(1)
    .describe("The chat to send to: a chat id, or `@channelusername` for a public channel."),
  parseMode: z
    .enum(["HTML", "MARKDOWNV2"])
    .optional()
    .describe("How Telegram formats the text: `HTML` or `MARKDOWNV2`; plain text when unset."),
  endpointOverride: z
    .string()
    .optional()
    .describe(
      "The Bot API's base URL, for a self-hosted Bot API server; default `https://api.telegram.org`.",
    ),
  options: requestOptions.optional(),
};

/**
 * Calls the Bot API's sendMessage, as Kestra's TelegramBotApiService: the answer must be 200 with
 * `"ok": true`. The URL holds the bot token, so no message repeats it.
 */
async function sendMessage(
  ctx: TaskRunContext<unknown>,
  p: {
    token: string;
    channel: string;
    parseMode?: keyof typeof PARSE_MODES;
    endpointOverride?: string;
    options?: RequestOptions;
  },
  text: string,
): Promise<void> {
  const base = (p.endpointOverride ?? API).replace(/\/+$/, "");
  const body = {
    chat_id: p.channel,
    text,
    ...(p.parseMode ? { parse_mode: PARSE_MODES[p.parseMode] } : {}),
  };
  const answer = await postJson(ctx, {
    url: `${base}/bot${p.token}/sendMessage`,
    body,
    options: p.options,
    what: "Telegram sendMessage",
    secretUrl: true,
  }).catch((error: Error) => {
    throw new Error(error.message.replaceAll(p.token, "<token>"));
  });
  let ok = false;
  try {
    ok = (JSON.parse(answer) as { ok?: unknown }).ok === true;
  } catch {
    // Not the Bot API's JSON: reported below.
  }
  if (!ok) throw new Error("unable to send the Telegram message: the Bot API did not answer ok");
}

export const telegramSendPlugin = definePlugin({
  type: SEND,
  kind: "runnable",
  title: "Send a Telegram message with a bot.",
  description: [
    "Sends `payload` as a message to `channel` through the Telegram Bot API's `sendMessage`. The task fails",
    "unless the API answers `ok`. Requests go through the outbound-address policy of `core.http.Request`.",
  ].join("\n"),
  schema: z.object({
    ...botShape,
    payload: z.string().describe("The text of the message."),
  }),
  examples: [
    {
      title: "Send a Telegram message when a flow fails",
      flow: `id: telegram_failure_alert
namespace: company.team

tasks:
  - id: fail
    type: io.kestra.plugin.core.execution.Fail

errors:
  - id: telegram
    type: io.kestra.plugin.notifications.telegram.TelegramSend
    token: "{{ secret('TELEGRAM_TOKEN') }}"
    channel: "@my_alerts"
    parseMode: HTML
    payload: "<b>{{ flow.id }}</b> failed: execution {{ execution.id }}"
`,
    },
  ],
  async run(ctx) {
    await sendMessage(ctx, ctx.properties, ctx.properties.payload);
    return {};
  },
});

/** The message of TelegramExecution (Kestra's telegram-template.peb). */
export function telegramText(summary: ExecutionSummaryData): string {
  const { execution, link } = summary;
  const custom = Object.entries(summary.customFields ?? {})
    .map(([name, value]) => `\n${name}: ${fieldText(value)}`)
    .join("");
  return [
    ...(summary.customMessage !== undefined ? [`${summary.customMessage}\n`] : []),
    `<${execution.namespace} ${execution.flowId} ${execution.id} ➛ ${execution.state} - Final task ID ➛ ${summary.lastTask?.taskId ?? ""}> ${outcome(summary)}`,
    ...(link ? [` (${link})`] : []),
    custom,
  ].join("");
}

export const telegramExecutionPlugin = definePlugin({
  type: EXECUTION,
  kind: "runnable",
  title: "Send a Telegram message with a summary of an execution.",
  description: [
    "Sends a one-line summary of an execution (namespace, flow, id, state, last task, the failed task and",
    "the duration, with the execution page's link when CADENZA_PUBLIC_URL is set) through a Telegram bot.",
    "`customMessage` opens the message and `customFields` are added as `name: value` lines.",
  ].join("\n"),
  schema: z.object({ ...botShape, ...executionShape }),
  examples: [
    {
      title: "Report every execution's outcome to a Telegram channel",
      flow: `id: telegram_summary
namespace: company.team

tasks:
  - id: work
    type: io.kestra.plugin.core.log.Log
    message: working

afterExecution:
  - id: telegram
    type: io.kestra.plugin.notifications.telegram.TelegramExecution
    token: "{{ secret('TELEGRAM_TOKEN') }}"
    channel: "2072728690"
`,
    },
  ],
  async run(ctx) {
    const text = telegramText(await summarise(ctx, ctx.properties, EXECUTION));
    await sendMessage(ctx, ctx.properties, text);
    return {};
  },
});
