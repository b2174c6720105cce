import type { TaskRunContext } from "@/engine/plugin";
import { sendHttp } from "../core/http/client";

/** OpenAI's API; a local model server (vLLM, llama.cpp, Ollama's /v1...) is reached by setting `baseUrl`. */
export const OPENAI_BASE_URL = "https://api.openai.com/v1";

/** One message of the chat completions API, as sent and received (snake_case, as the API has it). */
export interface ApiMessage {
  role: "system" | "user" | "assistant" | "tool" | "function" | "developer";
  content: string | null;
  name?: string;
  tool_calls?: ApiToolCall[];
  tool_call_id?: string;
}

export interface ApiToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ApiTool {
  type: "function";
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export interface ApiCompletion {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  choices: { index?: number; message: ApiMessage; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number };
}

/** How many characters of an error answer a failure message quotes. */
const QUOTED = 500;

/**
 * POSTs to `{baseUrl}/chat/completions` through the same client and outbound-address policy as
 * core.http.Request (a tenant reaches a model server on a private address only if the operator allows it).
 * A non-2xx answer fails with the server's message; the API key never appears in a message.
 */
export async function chatCompletion(
  ctx: TaskRunContext<unknown>,
  request: {
    baseUrl: string;
    apiKey?: string;
    body: Record<string, unknown>;
    timeoutMs: number;
    what: string;
  },
): Promise<ApiCompletion> {
  const url = `${request.baseUrl.trim().replace(/\/+$/, "")}/chat/completions`;
  let response: Awaited<ReturnType<typeof sendHttp>>;
  try {
    response = await sendHttp({
      url,
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        ...(request.apiKey ? { authorization: `Bearer ${request.apiKey}` } : {}),
      },
      body: new TextEncoder().encode(JSON.stringify(request.body)),
      policy: ctx.services.httpPolicy ?? { allowPrivateNetworks: false },
      followRedirects: false,
      readIdleTimeoutMs: request.timeoutMs,
      maxBodyBytes: 20 * 1024 * 1024,
      signal: ctx.signal,
    });
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(
      `${request.what}: request to ${url} failed: ${request.apiKey ? message.replaceAll(request.apiKey, "<apiKey>") : message}`,
    );
  }
  const text = new TextDecoder().decode(response.body);
  if (response.status >= 400) {
    let detail = text;
    try {
      const parsed = JSON.parse(text) as { error?: { message?: string } };
      detail = parsed.error?.message ?? text;
    } catch {
      // Not JSON: quote the text.
    }
    const quoted = detail.length > QUOTED ? `${detail.slice(0, QUOTED)}…` : detail;
    throw new Error(
      `${request.what}: the model server answered ${response.status}${quoted ? `: ${quoted}` : ""}`,
    );
  }
  let parsed: ApiCompletion;
  try {
    parsed = JSON.parse(text) as ApiCompletion;
  } catch {
    throw new Error(`${request.what}: the model server's answer is not JSON`);
  }
  if (!Array.isArray(parsed.choices) || parsed.choices.length === 0)
    throw new Error(`${request.what}: the model server's answer has no choices`);
  return parsed;
}

/** Kestra's token usage output (langchain4j's TokenUsage). */
export interface TokenUsage {
  inputTokenCount: number;
  outputTokenCount: number;
  totalTokenCount: number;
}

export function addUsage(total: TokenUsage, usage: ApiCompletion["usage"]): TokenUsage {
  const input = usage?.prompt_tokens ?? 0;
  const output = usage?.completion_tokens ?? 0;
  return {
    inputTokenCount: total.inputTokenCount + input,
    outputTokenCount: total.outputTokenCount + output,
    totalTokenCount: total.totalTokenCount + (usage?.total_tokens ?? input + output),
  };
}

/** The API's finish reason as Kestra names it (langchain4j's FinishReason). */
export function finishReasonOf(reason: string | null | undefined): string {
  switch (reason) {
    case "stop":
      return "STOP";
    case "length":
      return "LENGTH";
    case "tool_calls":
    case "function_call":
      return "TOOL_EXECUTION";
    case "content_filter":
      return "CONTENT_FILTER";
    default:
      return "OTHER";
  }
}
