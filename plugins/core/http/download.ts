import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { notAvailableYet } from "../unavailable";
import { oldHttp, requestShape, responseHeaders } from "./shared";

const TYPE = "core.http.Download";

export const downloadPlugin = definePlugin({
  type: TYPE,
  aliases: [oldHttp("Download")],
  kind: "runnable",
  title: "Download a file over HTTP into the internal storage.",
  description: [
    "Sends a request to `uri` and stores the response body as a file of the internal storage, named after",
    "the `Content-Disposition` header or the URI. Outputs `uri`, `code`, `length` and `headers`. An empty",
    "response fails the task unless `failOnEmptyResponse` is false.",
  ].join("\n"),
  schema: z.object({
    ...requestShape,
    failOnEmptyResponse: dyn(z.boolean()).default(true).describe("Fail the task when the response is empty."),
  }),
  outputs: z.object({
    uri: z.string().describe("The URI of the downloaded file in the internal storage."),
    code: z.number().int().describe("The status code of the response."),
    length: z.number().int().describe("The length of the response body in bytes."),
    headers: responseHeaders,
  }),
  examples: [
    {
      title: "Download a CSV file and log its size",
      flow: `id: download
namespace: company.team

tasks:
  - id: extract
    type: io.kestra.plugin.core.http.Download
    uri: https://huggingface.co/datasets/kestra/datasets/raw/main/csv/orders.csv

  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "Downloaded {{ outputs.extract.length }} bytes to {{ outputs.extract.uri }}"
`,
    },
  ],
  run: notAvailableYet(TYPE, "the HTTP runner"),
});
