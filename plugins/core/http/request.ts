import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { bodyText, send } from "./request-builder";
import { oldHttp, requestShape, responseHeaders } from "./shared";

const TYPE = "core.http.Request";

/** Responses are kept in the outputs: larger ones belong in the internal storage (core.http.Download). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export const requestSchema = z.object({
  ...requestShape,
  encryptBody: dyn(z.boolean())
    .default(false)
    .describe("Store the response body encrypted, as the `encryptedBody` output instead of `body`."),
});

export const requestPlugin = definePlugin({
  type: TYPE,
  aliases: [oldHttp("Request")],
  kind: "runnable",
  title: "Send an HTTP request and output the response.",
  description: [
    "Sends a request to `uri` and outputs the response `code`, `headers` and `body`. A response code of 400",
    "or more fails the task unless `options.allowFailed` is true. The body is kept in the outputs: for",
    "large payloads use `core.http.Download`, which stores the response in the internal storage.",
    "",
    "Only `http://` and `https://` URIs are accepted. Requests to loopback, private, link-local and other",
    "non-public addresses are refused, after DNS resolution and on every redirect, unless the operator allows",
    "them (CADENZA_HTTP_ALLOWED_NETWORKS, CADENZA_HTTP_PRIVATE_NETWORKS).",
    "The body is sent as written (a map or a list as JSON); `formData` is sent URL-encoded, or as multipart when",
    "`contentType` is `multipart/form-data`.",
  ].join("\n"),
  schema: requestSchema,
  outputs: z.object({
    uri: z.string().describe("The URI of the request."),
    code: z.number().int().describe("The status code of the response."),
    headers: responseHeaders,
    body: z.unknown().optional().describe("The body of the response."),
    encryptedBody: z.unknown().optional().describe("The encrypted body, when `encryptBody` is true."),
  }),
  examples: [
    {
      title: "POST a JSON payload and log the response",
      flow: `id: http_post_request
namespace: company.team

inputs:
  - id: payload
    type: JSON
    defaults: |
      {"title": "Cadenza Pen"}

tasks:
  - id: send_data
    type: io.kestra.plugin.core.http.Request
    uri: https://dummyjson.com/products/add
    method: POST
    contentType: application/json
    body: "{{ inputs.payload }}"
    options:
      timeout:
        connectTimeout: PT10S
      allowFailed: false

  - id: print_status
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.send_data.code }}: {{ outputs.send_data.body }}"
`,
    },
    {
      title: "Call an API with a bearer token from a secret",
      flow: `id: api_call
namespace: company.team

tasks:
  - id: me
    type: io.kestra.plugin.core.http.Request
    uri: https://dummyjson.com/user/me
    headers:
      Authorization: "Bearer {{ secret('API_TOKEN') }}"
`,
    },
  ],
  async run(ctx) {
    if (ctx.properties.encryptBody) {
      throw new Error(
        "encryptBody needs an encryption key, which this version of Cadenza does not configure",
      );
    }
    const response = await send(ctx, MAX_BODY_BYTES);
    const body = bodyText(response);
    return {
      outputs: {
        uri: ctx.properties.uri,
        code: response.status,
        headers: response.headers,
        ...(body !== "" ? { body } : {}),
      },
    };
  },
});
