import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { KESTRA_TASK_TOOL, kestraTaskTools, type TaskTool } from "./kestra-task-tool";
import {
  type ApiMessage,
  addUsage,
  chatCompletion,
  finishReasonOf,
  OPENAI_BASE_URL,
  type TokenUsage,
} from "./openai-client";

const TYPE = "ai.agent.AIAgent";

/** Providers that speak OpenAI's chat completions API, with their default base URL. */
const PROVIDERS: Record<string, string | undefined> = {
  "io.kestra.plugin.ai.provider.OpenAI": OPENAI_BASE_URL,
  "io.kestra.plugin.ai.provider.DeepSeek": "https://api.deepseek.com/v1",
  // Ollama's `endpoint` (e.g. http://localhost:11434) serves OpenAI's API under /v1.
  "io.kestra.plugin.ai.provider.Ollama": undefined,
};

/** The tool kinds that run here (see the README for the others). */
const TOOLS = [KESTRA_TASK_TOOL];

/** At most this many model turns that ask for tools, so a model looping on tools cannot run forever. */
const MAX_TOOL_ROUNDS = 10;

/** The longest silence allowed while waiting for one answer (the task's own `timeout` bounds the whole run). */
const ANSWER_TIMEOUT_MS = 300_000;

const provider = z
  .looseObject({
    type: z
      .string()
      .describe(
        "The provider: `io.kestra.plugin.ai.provider.OpenAI` (any OpenAI-compatible server through `baseUrl`), `...DeepSeek` or `...Ollama`.",
      ),
    modelName: z.string().min(1).describe("The model, e.g. `gpt-4o-mini`."),
    apiKey: z.string().optional().describe("The API key; keep it in a secret."),
    baseUrl: z.string().optional().describe("The API's base URL (OpenAI, DeepSeek)."),
    endpoint: z.string().optional().describe("Ollama's URL, e.g. `http://localhost:11434`."),
  })
  .describe("The language model provider.");

const configuration = z
  .looseObject({
    temperature: dyn(z.number()).optional().describe("Sampling temperature."),
    topP: dyn(z.number()).optional().describe("Nucleus sampling: the probability mass kept."),
    seed: dyn(z.number().int()).optional().describe("A seed, for providers that support it."),
    maxToken: dyn(z.number().int().min(1)).optional().describe("The most tokens an answer may have."),
  })
  .describe("Options of the model's requests.");

export const aiAgentPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Run an AI agent: a model that answers a prompt and may call the tools the flow gives it.",
  description: [
    "Sends `systemMessage` and `prompt` to the `provider`'s model (any OpenAI-compatible chat completions",
    "API: OpenAI, DeepSeek, Ollama, a local server through `baseUrl`). When the model asks for a tool, the",
    "tool runs and its result goes back to the model, until it answers (at most 10 rounds of tool calls).",
    "Only the tools of `tools` can run: a call to any other name is refused and the model is told so.",
    "",
    `Tools: \`${KESTRA_TASK_TOOL}\` lets the model run the runnable tasks listed in its \`tasks\`; the model`,
    "fills in only the properties written as `...`, every other property is fixed by the flow. Requests go",
    "through the outbound-address policy of `core.http.Request`.",
  ].join("\n"),
  schema: z.object({
    provider,
    systemMessage: z.string().optional().describe("The system message: the agent's instructions."),
    prompt: z.string().min(1).describe("The user's message."),
    configuration: configuration.optional(),
    tools: z
      .array(z.looseObject({ type: z.string().describe("The tool's type.") }))
      .optional()
      .describe(`The tools the model may call (\`${KESTRA_TASK_TOOL}\`).`),
  }),
  outputs: z.object({
    textOutput: z.string().optional().describe("The model's final answer."),
    finishReason: z
      .string()
      .describe("Why the model stopped: STOP, LENGTH, TOOL_EXECUTION, CONTENT_FILTER, OTHER."),
    tokenUsage: z
      .object({ inputTokenCount: z.number(), outputTokenCount: z.number(), totalTokenCount: z.number() })
      .describe("Tokens used over every request of the run."),
    toolExecutions: z
      .array(z.record(z.string(), z.unknown()))
      .describe("Each tool run: `requestId`, `requestName`, `requestArguments`, `result`."),
  }),
  validate(properties, ctx) {
    if (!(properties.provider.type in PROVIDERS))
      ctx.error(
        ["provider", "type"],
        `provider ${properties.provider.type} is not supported here; use one of ${Object.keys(PROVIDERS).join(", ")}`,
      );
    properties.tools?.forEach((tool, index) => {
      if (!TOOLS.includes(tool.type))
        ctx.error(
          ["tools", index, "type"],
          `tool ${tool.type} is not supported here; use ${TOOLS.join(", ")}`,
        );
    });
  },
  examples: [
    {
      title: "An agent that may log a message through a task the flow declares",
      flow: `id: ai_agent_with_task_tool
namespace: company.team

inputs:
  - id: prompt
    type: STRING
    defaults: Summarize the weather in Paris in one sentence and log it.

tasks:
  - id: agent
    type: io.kestra.plugin.ai.agent.AIAgent
    provider:
      type: io.kestra.plugin.ai.provider.OpenAI
      apiKey: "{{ secret('OPENAI_API_KEY') }}"
      modelName: gpt-4o-mini
    systemMessage: You are a helpful assistant. Log your answer with the tool you have.
    prompt: "{{ inputs.prompt }}"
    tools:
      - type: io.kestra.plugin.ai.tool.KestraTask
        tasks:
          - id: log
            type: io.kestra.plugin.core.log.Log
            message: "..."

  - id: answer
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.agent.textOutput }}"
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    if (!(p.provider.type in PROVIDERS))
      throw new Error(
        `provider ${p.provider.type} is not supported here; use one of ${Object.keys(PROVIDERS).join(", ")}`,
      );
    const baseUrl =
      p.provider.type === "io.kestra.plugin.ai.provider.Ollama"
        ? `${String(p.provider.endpoint ?? p.provider.baseUrl ?? "http://localhost:11434").replace(/\/+$/, "")}/v1`
        : (p.provider.baseUrl ?? (PROVIDERS[p.provider.type] as string));
    const registry = ctx.services.registry;
    const tools = new Map<string, TaskTool>();
    for (const entry of p.tools ?? []) {
      if (entry.type !== KESTRA_TASK_TOOL)
        throw new Error(`tool ${entry.type} is not supported here; use ${TOOLS.join(", ")}`);
      if (!registry) throw new Error(`${TYPE} needs the plugin registry to run task tools`);
      for (const tool of kestraTaskTools(entry, registry)) tools.set(tool.name, tool);
    }
    const options = p.configuration ?? {};
    const messages: ApiMessage[] = [
      ...(p.systemMessage ? [{ role: "system" as const, content: p.systemMessage }] : []),
      { role: "user", content: p.prompt },
    ];
    let usage: TokenUsage = { inputTokenCount: 0, outputTokenCount: 0, totalTokenCount: 0 };
    const toolExecutions: Record<string, unknown>[] = [];
    for (let round = 0; ; round++) {
      const answer = await chatCompletion(ctx, {
        baseUrl,
        apiKey: p.provider.apiKey,
        timeoutMs: ANSWER_TIMEOUT_MS,
        what: TYPE,
        body: {
          model: p.provider.modelName,
          messages,
          ...(tools.size ? { tools: [...tools.values()].map((t) => t.tool) } : {}),
          ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
          ...(options.topP !== undefined ? { top_p: options.topP } : {}),
          ...(options.seed !== undefined ? { seed: options.seed } : {}),
          ...(options.maxToken !== undefined ? { max_tokens: options.maxToken } : {}),
        },
      });
      usage = addUsage(usage, answer.usage);
      const choice = answer.choices[0] as (typeof answer.choices)[number];
      const calls = choice.message.tool_calls ?? [];
      if (calls.length === 0 || round >= MAX_TOOL_ROUNDS) {
        if (calls.length > 0)
          ctx.logger.warn(`the model still asked for tools after ${MAX_TOOL_ROUNDS} rounds: stopped`);
        ctx.metric({ name: "input.token.count", type: "counter", value: usage.inputTokenCount });
        ctx.metric({ name: "output.token.count", type: "counter", value: usage.outputTokenCount });
        return {
          outputs: {
            ...(choice.message.content !== null && choice.message.content !== undefined
              ? { textOutput: choice.message.content }
              : {}),
            finishReason: finishReasonOf(choice.finish_reason),
            tokenUsage: usage,
            toolExecutions,
          },
        };
      }
      messages.push({ role: "assistant", content: choice.message.content ?? null, tool_calls: calls });
      for (const call of calls) {
        const tool = tools.get(call.function.name);
        let result: string;
        if (!tool) {
          // Only what the flow declares may run, whatever the model asks for.
          ctx.logger.warn(`the model asked for the undeclared tool '${call.function.name}': refused`);
          result = `Error: there is no tool named '${call.function.name}'; the tools are: ${[...tools.keys()].join(", ") || "none"}`;
        } else {
          let args: Record<string, unknown>;
          try {
            const parsed = JSON.parse(call.function.arguments || "{}") as unknown;
            args =
              parsed && typeof parsed === "object" && !Array.isArray(parsed)
                ? (parsed as Record<string, unknown>)
                : {};
          } catch {
            args = {};
          }
          ctx.logger.info(`running tool ${tool.name}`);
          try {
            result = JSON.stringify(await tool.run(ctx, args));
          } catch (error) {
            result = `Error: ${(error as Error).message}`;
            ctx.logger.warn(`tool ${tool.name} failed: ${(error as Error).message}`);
          }
          toolExecutions.push({
            requestId: call.id,
            requestName: call.function.name,
            requestArguments: args,
            result,
          });
        }
        messages.push({ role: "tool", tool_call_id: call.id, content: result });
      }
    }
  },
});
