import { discordExecutionPlugin, discordIncomingWebhookPlugin } from "./discord";
import { googleChatExecutionPlugin, googleChatIncomingWebhookPlugin } from "./google-chat";
import { slackExecutionPlugin, slackIncomingWebhookPlugin } from "./slack";
import { teamsExecutionPlugin, teamsIncomingWebhookPlugin } from "./teams";
import { telegramExecutionPlugin, telegramSendPlugin } from "./telegram";

/** Kestra's plugin-notifications: messages to chat services, as tasks and as errors/afterExecution notifiers. */
export const notificationPlugins = [
  slackIncomingWebhookPlugin,
  slackExecutionPlugin,
  discordIncomingWebhookPlugin,
  discordExecutionPlugin,
  teamsIncomingWebhookPlugin,
  teamsExecutionPlugin,
  googleChatIncomingWebhookPlugin,
  googleChatExecutionPlugin,
  telegramSendPlugin,
  telegramExecutionPlugin,
];
