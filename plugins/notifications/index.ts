import { discordExecutionPlugin, discordIncomingWebhookPlugin } from "./discord";
import { googleChatExecutionPlugin, googleChatIncomingWebhookPlugin } from "./google-chat";
import { mailExecutionPlugin, mailSendPlugin } from "./mail";
import { slackExecutionPlugin, slackIncomingWebhookPlugin } from "./slack";
import { teamsExecutionPlugin, teamsIncomingWebhookPlugin } from "./teams";
import { telegramExecutionPlugin, telegramSendPlugin } from "./telegram";

/** Kestra's plugin-notifications: messages to chat services and email, as tasks and as errors/afterExecution notifiers. */
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
  mailSendPlugin,
  mailExecutionPlugin,
];
