import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { type ApiMessage, type ApiTool, chatCompletion, OPENAI_BASE_URL } from "./openai-client";

const TYPE = "openai.ChatCompletion";

const functionParameter = z.object({
  name: z.string().min(1).describe("The parameter's name."),
  type: z
    .enum(["string", "number", "integer", "boolean", "array", "object"])
    .describe("The parameter's JSON type."),
  description: z.string().describe("What the parameter is, for the model."),
  enumValues: z.array(z.string()).optional().describe("The values the parameter may take."),
  required: z.boolean().default(false).describe("Whether the model must give it."),
});

const chatFunction = z.object({
  name: z.string().min(1).describe("The function's name."),
  description: z.string().optional().describe("What the function does, for the model."),
  parameters: z.array(functionParameter).optional().describe("The function's parameters."),
});

/** The JSON Schema of a function's parameters, from Kestra's list of parameters. */
function parametersSchema(parameters: z.output<typeof functionParameter>[] = []): Record<string, unknown> {
  return {
    type: "object",
    properties: Object.fromEntries(
      parameters.map((p) => [
        p.name,
        { type: p.type, description: p.description, ...(p.enumValues ? { enum: p.enumValues } : {}) },
      ]),
    ),
    required: parameters.filter((p) => p.required).map((p) => p.name),
  };
}

export const chatCompletionPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Send a chat to an OpenAI-compatible model and get its answer.",
  description: [
    "Calls the chat completions API with `messages` and/or a `prompt` (sent as the last user message), and",
    "optional `functions` the model may ask to call (`functionCall` forces one by name; the call is returned",
    "in `choices[].message.functionCall`, not run). `baseUrl` points at any OpenAI-compatible server (a local",
    "model server included); the request goes through the outbound-address policy of `core.http.Request`.",
    "Keep `apiKey` in a secret.",
  ].join("\n"),
  schema: z.object({
    apiKey: z.string().optional().describe("The API key (Bearer token); keep it in a secret."),
    baseUrl: z
      .string()
      .default(OPENAI_BASE_URL)
      .describe("The API's base URL, e.g. `http://localhost:8000/v1` for a local OpenAI-compatible server."),
    model: z.string().min(1).describe("The model, e.g. `gpt-4o-mini`."),
    messages: z
      .array(
        z.object({
          role: z.enum(["system", "user", "assistant", "developer"]).describe("Who speaks."),
          content: z.string().describe("What is said."),
          name: z.string().optional().describe("An optional name of the speaker."),
        }),
      )
      .optional()
      .describe("The conversation so far."),
    prompt: z.string().optional().describe("A user message added after `messages`."),
    functions: z.array(chatFunction).optional().describe("Functions the model may ask to call."),
    functionCall: z.string().optional().describe("The name of a function the model must call."),
    temperature: dyn(z.number().min(0).max(2)).optional().describe("Sampling temperature, 0 to 2."),
    topP: dyn(z.number().min(0).max(1)).optional().describe("Nucleus sampling: the probability mass kept."),
    n: dyn(z.number().int().min(1)).optional().describe("How many answers to generate."),
    stop: z.array(z.string()).optional().describe("Up to 4 sequences where the model stops."),
    maxTokens: dyn(z.number().int().min(1)).optional().describe("The most tokens the answer may have."),
    presencePenalty: dyn(z.number()).optional().describe("Penalty for tokens already present, -2 to 2."),
    frequencyPenalty: dyn(z.number()).optional().describe("Penalty by token frequency, -2 to 2."),
    logitBias: z.record(z.string(), z.number()).optional().describe("Biases of token ids, -100 to 100."),
    user: z.string().optional().describe("An id of the end user, for the provider's abuse monitoring."),
    clientTimeout: dyn(z.number().int().min(1)).default(10).describe("Seconds to wait for the answer."),
  }),
  outputs: z.object({
    id: z.string().optional().describe("The completion's id."),
    object: z.string().optional(),
    model: z.string().optional().describe("The model that answered."),
    choices: z
      .array(z.record(z.string(), z.unknown()))
      .describe("The answers: `index`, `message` (`role`, `content`, `functionCall`), `finishReason`."),
    usage: z
      .object({ promptTokens: z.number(), completionTokens: z.number(), totalTokens: z.number() })
      .describe("Tokens used."),
  }),
  validate(properties, ctx) {
    if (!properties.prompt && !properties.messages?.length) ctx.error([], "set prompt or messages");
    if (properties.functionCall && !properties.functions?.some((f) => f.name === properties.functionCall))
      ctx.error(["functionCall"], `functionCall '${properties.functionCall}' is not one of the functions`);
  },
  examples: [
    {
      title: "Ask a model (OpenAI, or a local OpenAI-compatible server with baseUrl) a question",
      flow: `id: openai_chat
namespace: company.team

inputs:
  - id: question
    type: STRING
    defaults: What is Kestra?

tasks:
  - id: chat
    type: io.kestra.plugin.openai.ChatCompletion
    apiKey: "{{ secret('OPENAI_API_KEY') }}"
    model: gpt-4o-mini
    messages:
      - role: system
        content: You answer in one sentence.
    prompt: "{{ inputs.question }}"

  - id: answer
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.chat.choices[0].message.content }}"
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const messages: ApiMessage[] = [
      ...(p.messages ?? []).map((m) => ({
        role: m.role,
        content: m.content,
        ...(m.name ? { name: m.name } : {}),
      })),
      ...(p.prompt ? [{ role: "user" as const, content: p.prompt }] : []),
    ];
    if (messages.length === 0) throw new Error("set prompt or messages");
    const tools: ApiTool[] | undefined = p.functions?.map((f) => ({
      type: "function",
      function: {
        name: f.name,
        ...(f.description ? { description: f.description } : {}),
        parameters: parametersSchema(f.parameters),
      },
    }));
    const body: Record<string, unknown> = {
      model: p.model,
      messages,
      ...(tools?.length ? { tools } : {}),
      ...(p.functionCall ? { tool_choice: { type: "function", function: { name: p.functionCall } } } : {}),
      ...(p.temperature !== undefined ? { temperature: p.temperature } : {}),
      ...(p.topP !== undefined ? { top_p: p.topP } : {}),
      ...(p.n !== undefined ? { n: p.n } : {}),
      ...(p.stop ? { stop: p.stop } : {}),
      ...(p.maxTokens !== undefined ? { max_tokens: p.maxTokens } : {}),
      ...(p.presencePenalty !== undefined ? { presence_penalty: p.presencePenalty } : {}),
      ...(p.frequencyPenalty !== undefined ? { frequency_penalty: p.frequencyPenalty } : {}),
      ...(p.logitBias ? { logit_bias: p.logitBias } : {}),
      ...(p.user ? { user: p.user } : {}),
    };
    ctx.logger.debug(`asking ${p.model} at ${p.baseUrl}`);
    const answer = await chatCompletion(ctx, {
      baseUrl: p.baseUrl,
      apiKey: p.apiKey,
      body,
      timeoutMs: p.clientTimeout * 1000,
      what: TYPE,
    });
    const choices = answer.choices.map((choice, index) => {
      const call = choice.message.tool_calls?.[0];
      return {
        index: choice.index ?? index,
        message: {
          role: choice.message.role,
          content: choice.message.content ?? null,
          ...(call ? { functionCall: { name: call.function.name, arguments: call.function.arguments } } : {}),
        },
        finishReason: choice.finish_reason ?? null,
      };
    });
    const usage = {
      promptTokens: answer.usage?.prompt_tokens ?? 0,
      completionTokens: answer.usage?.completion_tokens ?? 0,
      totalTokens: answer.usage?.total_tokens ?? 0,
    };
    ctx.metric({ name: "usage.total.tokens", type: "counter", value: usage.totalTokens });
    return {
      outputs: {
        ...(answer.id ? { id: answer.id } : {}),
        ...(answer.object ? { object: answer.object } : {}),
        ...(answer.model ? { model: answer.model } : {}),
        choices,
        usage,
      },
    };
  },
});
