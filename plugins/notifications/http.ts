import { z } from "zod";
import { duration, type TaskRunContext } from "@/engine/plugin";
import { parseDuration } from "@/engine/util/duration";
import { sendHttp } from "../core/http/client";

/** Kestra's `AbstractHttpOptionsTask.RequestOptions`: the `options` of every notification task. */
export const requestOptions = z
  .strictObject({
    connectTimeout: duration.optional().describe("The time allowed to establish a connection to the server."),
    readTimeout: duration
      .default("PT10S")
      .describe("The maximum time allowed for reading data from the server before failing."),
    readIdleTimeout: duration
      .default("PT5M")
      .describe("The time a connection may stay idle while reading before it is closed."),
    connectionPoolIdleTimeout: duration
      .optional()
      .describe("Accepted for Kestra compatibility; ignored (every notification uses a fresh connection)."),
    maxContentLength: z
      .number()
      .int()
      .positive()
      .default(10 * 1024 * 1024)
      .describe("The largest response body accepted, in bytes."),
    defaultCharset: z
      .string()
      .default("UTF-8")
      .describe("Accepted for Kestra compatibility; requests are always sent as UTF-8."),
    headers: z.record(z.string(), z.string()).optional().describe("HTTP headers to add to the request."),
  })
  .describe("Options of the HTTP client: timeouts, response size limit, extra headers.");

export type RequestOptions = z.output<typeof requestOptions>;

/** The `url` of a webhook task: required, rendered. */
export const webhookUrl = (what: string, docs: string) =>
  z.string().min(1, "the webhook URL is required").describe(`${what} incoming webhook URL. ${docs}`);

/** A JSON payload: written as a JSON string (Kestra's type) or as a YAML map, sent as JSON either way. */
export const jsonPayload = (description: string) =>
  z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .optional()
    .describe(`${description} A JSON string (usually a YAML block \`|\`) or a map.`);

/** Parses a JSON payload property, with a message that names the property instead of a parser trace. */
export function parsePayload(payload: string | Record<string, unknown>, property = "payload"): unknown {
  if (typeof payload !== "string") return payload;
  try {
    return JSON.parse(payload);
  } catch (error) {
    throw new Error(`${property} is not valid JSON: ${(error as Error).message}`);
  }
}

const msOf = (value: string | undefined): number | undefined =>
  value === undefined ? undefined : parseDuration(value);

/** How many characters of an error response a failure message quotes. */
const QUOTED = 500;

/**
 * POSTs a JSON body to a messaging service through the same client and outbound-address policy as
 * core.http.Request: a tenant cannot reach loopback or private addresses through a webhook URL unless the
 * operator allows them. A response of 400 or more fails the task, quoting the service's answer.
 * Returns the response body as text.
 */
export async function postJson(
  ctx: TaskRunContext<unknown>,
  request: { url: string; body: unknown; options?: RequestOptions; what: string; secretUrl?: boolean },
): Promise<string> {
  const options = request.options;
  const text = typeof request.body === "string" ? request.body : JSON.stringify(request.body);
  ctx.logger.debug(`${request.what}: sending ${text}`);
  let response: Awaited<ReturnType<typeof sendHttp>>;
  try {
    response = await sendHttp({
      url: request.url,
      method: "POST",
      headers: { ...(options?.headers ?? {}), "content-type": "application/json" },
      body: new TextEncoder().encode(text),
      policy: ctx.services.httpPolicy ?? { allowPrivateNetworks: false },
      // As Kestra's HTTP client: redirects are followed (each hop checked against the policy again).
      followRedirects: true,
      connectTimeoutMs: msOf(options?.connectTimeout),
      readIdleTimeoutMs: Math.min(
        msOf(options?.readTimeout) ?? 10_000,
        msOf(options?.readIdleTimeout) ?? 300_000,
      ),
      maxBodyBytes: options?.maxContentLength ?? 10 * 1024 * 1024,
      signal: ctx.signal,
    });
  } catch (error) {
    // A URL that carries a credential (Telegram's bot token) is never repeated in a message.
    const message = (error as Error).message;
    throw new Error(
      `${request.what} failed: ${request.secretUrl ? message.replaceAll(request.url, "<url>") : message}`,
    );
  }
  const body = new TextDecoder().decode(response.body);
  if (response.status >= 400) {
    const quoted = body.length > QUOTED ? `${body.slice(0, QUOTED)}…` : body;
    throw new Error(
      `${request.what} failed: the server answered ${response.status}${quoted ? `: ${quoted}` : ""}`,
    );
  }
  ctx.logger.info(`${request.what}: request succeeded (${response.status})`);
  return body;
}

/**
 * The run of an `*IncomingWebhook` task whose message is its `payload` alone (Discord, Teams, Google
 * Chat): the payload parsed and POSTed to `url`; a response of 400 or more fails the task.
 */
export async function postPayload(
  ctx: TaskRunContext<{
    url: string;
    payload?: string | Record<string, unknown> | undefined;
    options?: RequestOptions | undefined;
  }>,
  what: string,
): Promise<Record<string, never>> {
  const { url, payload, options } = ctx.properties;
  if (payload === undefined) throw new Error("'payload' must be provided");
  await postJson(ctx, { url, body: parsePayload(payload), options, what });
  return {};
}
