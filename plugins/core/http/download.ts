import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { taskFileUri } from "../storage/files";
import type { HttpResponse } from "./client";
import { send } from "./request-builder";
import { oldHttp, requestShape, responseHeaders } from "./shared";

const TYPE = "core.http.Download";

/** The body is held in memory on its way to the storage: bigger downloads are refused. */
const MAX_BODY_BYTES = 512 * 1024 * 1024;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes.
const CONTROL_CHARACTERS = /[\u0000-\u001f]/g;

/** The file name: from Content-Disposition, else the last segment of the URL path, else `download`. */
export function downloadName(response: Pick<HttpResponse, "url" | "headers">): string {
  const disposition = response.headers["content-disposition"]?.[0] ?? "";
  const extended = /filename\*\s*=\s*(?:[\w-]+)?'[^']*'([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1];
  let name = "";
  try {
    name = extended ? decodeURIComponent(extended.trim()) : (plain?.trim() ?? "");
  } catch {
    name = plain?.trim() ?? "";
  }
  if (!name) {
    const path = new URL(response.url).pathname;
    try {
      name = decodeURIComponent(path.slice(path.lastIndexOf("/") + 1));
    } catch {
      name = "";
    }
  }
  name = name.split(/[\\/]/).pop()?.replace(CONTROL_CHARACTERS, "") ?? "";
  return name && name !== "." && name !== ".." ? name : "download";
}

export const downloadPlugin = definePlugin({
  type: TYPE,
  aliases: [oldHttp("Download")],
  kind: "runnable",
  title: "Download a file over HTTP into the internal storage.",
  description: [
    "Sends a request to `uri` and stores the response body as a file of the internal storage, named after",
    "the `Content-Disposition` header or the URI. Outputs `uri`, `code`, `length` and `headers`. An empty",
    "response fails the task unless `failOnEmptyResponse` is false. A response code of 400 or more fails the",
    "task unless `options.allowFailed` is true. The same URI and network rules as `core.http.Request` apply.",
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
  async run(ctx) {
    const storage = ctx.services.storage;
    if (!storage) throw new Error(`${TYPE} needs the internal storage, which this engine does not provide`);
    const response = await send(ctx, MAX_BODY_BYTES);
    const length = response.body.byteLength;
    if (length === 0) {
      if (ctx.properties.failOnEmptyResponse) throw new Error("No response from server");
      ctx.logger.warn(`The response of ${ctx.properties.uri} is empty`);
    }
    const uri = await storage.put(taskFileUri(ctx, downloadName(response)), response.body);
    ctx.logger.debug(`downloaded ${length} bytes to ${uri}`);
    return { outputs: { uri, code: response.status, length, headers: response.headers } };
  },
});
