import { z } from "zod";
import { isTruthy } from "@/engine/expr";
import { definePlugin, duration, dyn } from "@/engine/plugin";
import { sendHttp } from "./client";
import { bodyText, buildRequest } from "./request-builder";
import { oldHttp, requestShape } from "./shared";

/** The largest response body a poll reads. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** A JSON body as data (so `response.body.status` works in the condition), any other body as text. */
function parsedBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const httpTriggerPlugin = definePlugin({
  type: "core.http.Trigger",
  aliases: [oldHttp("Trigger")],
  kind: "trigger",
  title: "Start an execution when an HTTP endpoint, polled at an interval, answers as expected.",
  description: [
    "Every `interval` the trigger sends the request and renders `responseCondition` with `response.statusCode`,",
    "`response.body` and `response.headers`; when it is true (anything but `false`, `0`, `-0` and empty), an",
    "execution starts with the response as `trigger.code`, `trigger.body` and `trigger.headers`. Response",
    "codes of 400 and more do not fail the poll: the condition decides. Use `stopAfter` to disable the",
    "trigger after a first success. A request that cannot be sent (refused address, timeout) is logged on the",
    "trigger and tried again at the next interval.",
  ].join("\n"),
  schema: z.object({
    ...requestShape,
    interval: duration.default("PT60S").describe("How often to poll (ISO-8601 duration)."),
    responseCondition: z
      .string()
      .default("{{ response.statusCode < 400 }}")
      .describe("The expression on `response` that decides whether to start an execution."),
    encryptBody: dyn(z.boolean())
      .default(false)
      .describe("Store the response body encrypted in the trigger variables."),
  }),
  outputs: z.object({
    uri: z.string(),
    code: z.number().int(),
    headers: z.record(z.string(), z.array(z.string())),
    body: z.unknown().optional(),
  }),
  // Rendered against each response by poll(), not with the flow's variables beforehand.
  rawProperties: ["responseCondition"],
  async poll(ctx) {
    if (ctx.properties.encryptBody) {
      throw new Error(
        "encryptBody needs an encryption key, which this version of Cadenza does not configure",
      );
    }
    const response = await sendHttp(await buildRequest(ctx, MAX_BODY_BYTES));
    const text = bodyText(response);
    const variables = {
      uri: ctx.properties.uri,
      code: response.status,
      headers: response.headers,
      ...(text !== "" ? { body: text } : {}),
    };
    const holds = await ctx.render(ctx.properties.responseCondition, {
      response: { statusCode: response.status, body: parsedBody(text), headers: response.headers },
    });
    return isTruthy(holds) ? { variables } : undefined;
  },
  examples: [
    {
      title: "Start a flow once an endpoint answers 200, then stop polling",
      flow: `id: http_trigger
namespace: company.team

tasks:
  - id: log_response
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.body }}"

triggers:
  - id: http
    type: io.kestra.plugin.core.http.Trigger
    uri: https://api.chucknorris.io/jokes/random
    responseCondition: "{{ response.statusCode == 200 }}"
    interval: PT30S
    stopAfter:
      - SUCCESS
`,
    },
  ],
});
