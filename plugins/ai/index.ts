import { aiAgentPlugin } from "./agent";
import { chatCompletionPlugin } from "./chat-completion";

/** Kestra's plugin-openai and plugin-ai, on any OpenAI-compatible chat completions API (see README.md). */
export const aiPlugins = [chatCompletionPlugin, aiAgentPlugin];
