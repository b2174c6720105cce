import { z } from "zod";
import { definePlugin, duration, dyn } from "@/engine/plugin";
import { oldHttp, requestShape } from "./shared";

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
    "trigger after a first success.",
    "",
    "**Not polled in this version of Cadenza yet**: flows with this trigger validate and run manually, but",
    "no scheduler polls it, so the trigger itself never fires. The requests it would send are those of",
    "`core.http.Request`, which runs.",
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
