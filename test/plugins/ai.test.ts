// openai.ChatCompletion and ai.agent.AIAgent against a local HTTP server that speaks OpenAI's chat
// completions API (a scripted model: it asks for tools and answers from their results), reached through
// the outbound-address policy like any HTTP task.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf, newEngine, outputsOf, run } from "./helpers";

const KEY = "sk-local-test-key";
const LOCAL = { allowPrivateNetworks: false, allowedNetworks: ["127.0.0.1/32"] };

interface ChatRequest {
  model: string;
  messages: { role: string; content: string | null; tool_call_id?: string; tool_calls?: unknown[] }[];
  tools?: { type: string; function: { name: string; parameters: Record<string, unknown> } }[];
  tool_choice?: unknown;
  temperature?: number;
}

const requests: ChatRequest[] = [];
let server: Server;
let base = "";

/** The scripted model: what it answers to a conversation. */
function answer(request: ChatRequest): Record<string, unknown> {
  const last = request.messages.at(-1);
  const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
  const reply = (message: Record<string, unknown>, finish: string) => ({
    id: `chatcmpl-${requests.length}`,
    object: "chat.completion",
    model: request.model,
    choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: finish }],
    usage,
  });
  const prompt = request.messages.find((m) => m.role === "user")?.content ?? "";
  if (last?.role === "tool") {
    const results = request.messages.filter((m) => m.role === "tool").map((m) => m.content);
    return reply({ content: `Done. Tool said: ${results.join(" | ")}` }, "stop");
  }
  if (request.tools?.length && prompt.includes("use the tool")) {
    const calls = [
      {
        id: "call_1",
        type: "function",
        function: {
          name: request.tools[0]?.function.name,
          arguments: JSON.stringify({ message: "logged by the model" }),
        },
      },
      ...(prompt.includes("and a secret one")
        ? [
            {
              id: "call_2",
              type: "function",
              function: { name: "kestra_task_delete_everything", arguments: "{}" },
            },
          ]
        : []),
    ];
    return reply({ content: null, tool_calls: calls }, "tool_calls");
  }
  if (request.tool_choice) {
    return reply(
      {
        content: null,
        tool_calls: [
          {
            id: "call_f",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
        ],
      },
      "tool_calls",
    );
  }
  return reply({ content: `You said: ${prompt}` }, "stop");
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.url !== "/v1/chat/completions" || request.method !== "POST") {
        response
          .writeHead(404, { "content-type": "application/json" })
          .end('{"error":{"message":"not found"}}');
        return;
      }
      if (request.headers.authorization !== `Bearer ${KEY}`) {
        response
          .writeHead(401, { "content-type": "application/json" })
          .end('{"error":{"message":"Incorrect API key provided"}}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChatRequest;
      requests.push(body);
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer(body)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("openai.ChatCompletion", () => {
  it("sends messages and the prompt, and returns Kestra's outputs", async () => {
    const { engine } = newEngine({ httpPolicy: LOCAL });
    const execution = await run(
      engine,
      `id: chat
namespace: company.team
tasks:
  - id: chat
    type: io.kestra.plugin.openai.ChatCompletion
    apiKey: ${KEY}
    baseUrl: ${base}
    model: local-model
    temperature: 0.2
    messages:
      - role: system
        content: Be brief.
    prompt: hello there
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.chat.choices[0].message.content }}"
`,
    );
    expect(errorOf(execution, "chat")).toBeUndefined();
    const outputs = outputsOf(execution, "chat");
    expect(outputs).toMatchObject({
      object: "chat.completion",
      model: "local-model",
      choices: [
        { index: 0, message: { role: "assistant", content: "You said: hello there" }, finishReason: "stop" },
      ],
      usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 },
    });
    expect(requests.at(-1)).toMatchObject({
      model: "local-model",
      temperature: 0.2,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "hello there" },
      ],
    });
  });

  it("declares functions and returns the call the model asks for", async () => {
    const { engine } = newEngine({ httpPolicy: LOCAL });
    const execution = await run(
      engine,
      `id: chat_functions
namespace: company.team
tasks:
  - id: chat
    type: io.kestra.plugin.openai.ChatCompletion
    apiKey: ${KEY}
    baseUrl: ${base}
    model: local-model
    prompt: What is the weather in Paris?
    functions:
      - name: get_weather
        description: The weather of a city
        parameters:
          - name: city
            type: string
            description: The city
            required: true
    functionCall: get_weather
`,
    );
    expect(errorOf(execution, "chat")).toBeUndefined();
    expect(requests.at(-1)?.tools).toEqual([
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "The weather of a city",
          parameters: {
            type: "object",
            properties: { city: { type: "string", description: "The city" } },
            required: ["city"],
          },
        },
      },
    ]);
    expect(outputsOf(execution, "chat").choices).toEqual([
      {
        index: 0,
        message: {
          role: "assistant",
          content: null,
          functionCall: { name: "get_weather", arguments: '{"city":"Paris"}' },
        },
        finishReason: "tool_calls",
      },
    ]);
  });

  it("fails with the server's message on a wrong key, and refuses a private address by default", async () => {
    const { engine } = newEngine({ httpPolicy: LOCAL });
    const flow = (key: string) => `id: chat_bad
namespace: company.team
tasks:
  - id: chat
    type: io.kestra.plugin.openai.ChatCompletion
    apiKey: ${key}
    baseUrl: ${base}
    model: local-model
    prompt: hi
`;
    const wrong = await run(engine, flow("sk-wrong"));
    expect(errorOf(wrong, "chat")).toBe(
      "openai.ChatCompletion: the model server answered 401: Incorrect API key provided",
    );
    const strict = newEngine().engine;
    const refused = await run(strict, flow(KEY));
    expect(errorOf(refused, "chat")).toMatch(/127\.0\.0\.1.*refused: private and loopback addresses/);
    expect(errorOf(refused, "chat")).not.toContain(KEY);
  });
});

describe("ai.agent.AIAgent", () => {
  it("runs a declared task tool the model calls, sends its result back and returns the answer", async () => {
    const { engine } = newEngine({ httpPolicy: LOCAL });
    const before = requests.length;
    const execution = await run(
      engine,
      `id: agent
namespace: company.team
tasks:
  - id: agent
    type: io.kestra.plugin.ai.agent.AIAgent
    provider:
      type: io.kestra.plugin.ai.provider.OpenAI
      apiKey: ${KEY}
      baseUrl: ${base}
      modelName: local-model
    systemMessage: You log things.
    prompt: Please use the tool, and a secret one.
    tools:
      - type: io.kestra.plugin.ai.tool.KestraTask
        tasks:
          - id: log
            type: io.kestra.plugin.core.log.Log
            message: "..."
`,
    );
    expect(errorOf(execution, "agent")).toBeUndefined();
    const outputs = outputsOf(execution, "agent");
    // The declared tool ran (its Log wrote the model's message); the undeclared one did not.
    expect(engine.logs.filter((l) => l.executionId === execution.id).map((l) => l.message)).toEqual(
      expect.arrayContaining([
        "running tool kestra_task_log",
        "logged by the model",
        "the model asked for the undeclared tool 'kestra_task_delete_everything': refused",
      ]),
    );
    expect(outputs).toMatchObject({
      finishReason: "STOP",
      tokenUsage: { inputTokenCount: 20, outputTokenCount: 10, totalTokenCount: 30 },
      toolExecutions: [
        {
          requestId: "call_1",
          requestName: "kestra_task_log",
          requestArguments: { message: "logged by the model" },
          result: "{}",
        },
      ],
    });
    expect(outputs.textOutput).toBe(
      "Done. Tool said: {} | Error: there is no tool named 'kestra_task_delete_everything'; the tools are: kestra_task_log",
    );
    const [first, second] = requests.slice(before);
    expect(first?.tools?.map((t) => t.function)).toEqual([
      {
        name: "kestra_task_log",
        description: expect.any(String),
        parameters: { type: "object", properties: { message: expect.any(Object) }, required: ["message"] },
      },
    ]);
    expect(second?.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool", "tool"]);
  });

  it("rejects providers and tools it cannot run when the flow is validated", async () => {
    const { engine } = newEngine({ httpPolicy: LOCAL });
    const { loadFlow } = await import("@/engine/flow");
    const { builtInRegistry } = await import("@/plugins");
    const load = loadFlow(
      `id: agent_bad
namespace: company.team
tasks:
  - id: agent
    type: io.kestra.plugin.ai.agent.AIAgent
    provider:
      type: io.kestra.plugin.ai.provider.GoogleGemini
      modelName: gemini
    prompt: hi
    tools:
      - type: io.kestra.plugin.ai.tool.DockerMcpClient
`,
      { registry: builtInRegistry() },
    );
    expect(load.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^provider io\.kestra\.plugin\.ai\.provider\.GoogleGemini is not supported here/),
      expect.stringMatching(/^tool io\.kestra\.plugin\.ai\.tool\.DockerMcpClient is not supported here/),
    ]);
    void engine;
  });
});
