import type { FileStorage, TaskRunContext } from "@/engine/plugin";
import { parseDuration } from "@/engine/util/duration";
import { type HttpRequest, type HttpResponse, sendHttp } from "./client";

/** The properties shared by Request and Download, after validation (see shared.ts). */
export interface RequestProperties {
  uri: string;
  method: string;
  body?: string | Record<string, unknown> | unknown[];
  formData?: Record<string, unknown>;
  contentType: string;
  headers?: Record<string, string | number | boolean>;
  options?: {
    timeout?: { connectTimeout?: string; readIdleTimeout?: string };
    proxy?: { type: string; address?: string };
    auth?:
      | { type: "BASIC"; username?: string; password?: string }
      | { type: "BEARER"; token?: string }
      | { type: "DIGEST" };
    ssl?: { insecureTrustAllCertificates?: boolean };
    followRedirects: boolean;
    allowFailed: boolean;
    logs?: string[];
    connectTimeout?: string;
    readTimeout?: string;
    readIdleTimeout?: string;
    proxyType?: string;
    basicAuthUser?: string;
    basicAuthPassword?: string;
  };
  sslOptions?: { insecureTrustAllCertificates?: boolean };
  allowFailed?: boolean;
}

const DEFAULT_READ_IDLE = "PT5M";

function ms(value: string | undefined, property: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parseDuration(value);
  if (parsed === undefined) throw new Error(`${property}: '${value}' is not an ISO-8601 duration`);
  return parsed;
}

const header = (headers: Record<string, string>, name: string) =>
  Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());

function fileName(uri: string): string {
  const path = uri.replace(/[?#].*$/, "");
  const name = decodeURIComponent(path.slice(path.lastIndexOf("/") + 1).replace(/\+/g, "%20"));
  return name || "file";
}

/** A copy backed by a plain ArrayBuffer, as Blob wants. */
const copy = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

async function formDataBody(
  form: Record<string, unknown>,
  multipart: boolean,
  storage: FileStorage | undefined,
): Promise<{ body: Uint8Array; contentType: string }> {
  if (!multipart) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) {
      params.append(key, typeof value === "string" ? value : JSON.stringify(value));
    }
    return {
      body: new TextEncoder().encode(params.toString()),
      contentType: "application/x-www-form-urlencoded",
    };
  }
  const data = new FormData();
  const read = async (uri: string) => {
    if (!storage)
      throw new Error("formData files need the internal storage, which this engine does not provide");
    return storage.get(uri);
  };
  for (const [key, value] of Object.entries(form)) {
    if (typeof value === "string" && value.startsWith("kestra://")) {
      data.append(key, new Blob([copy(await read(value))]), fileName(value));
    } else if (value !== null && typeof value === "object" && !Array.isArray(value) && "content" in value) {
      const { name, content, contentType } = value as {
        name?: unknown;
        content: unknown;
        contentType?: unknown;
      };
      const bytes =
        typeof content === "string" && content.startsWith("kestra://")
          ? await read(content)
          : new TextEncoder().encode(typeof content === "string" ? content : JSON.stringify(content));
      const type = typeof contentType === "string" ? contentType : "application/octet-stream";
      data.append(key, new Blob([copy(bytes)], { type }), typeof name === "string" ? name : key);
    } else {
      data.append(key, typeof value === "string" ? value : JSON.stringify(value));
    }
  }
  // Let the platform encode the multipart body (boundary included).
  const encoded = new Response(data);
  return {
    body: new Uint8Array(await encoded.arrayBuffer()),
    contentType: encoded.headers.get("content-type") ?? "multipart/form-data",
  };
}

/** Builds the request from the task's properties: body, form, headers, authentication, timeouts, policy. */
export async function buildRequest(
  ctx: Pick<TaskRunContext<RequestProperties>, "properties" | "services" | "signal">,
  maxBodyBytes: number,
): Promise<HttpRequest> {
  const p = ctx.properties;
  const options = p.options;
  if (options?.proxy && options.proxy.type !== "DIRECT") {
    throw new Error("HTTP proxies are not supported by this version of Cadenza (options.proxy)");
  }
  if (options?.proxyType && options.proxyType !== "DIRECT") {
    throw new Error("HTTP proxies are not supported by this version of Cadenza (options.proxyType)");
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(p.headers ?? {})) headers[name] = String(value);

  let body: Uint8Array | undefined;
  if (p.formData !== undefined) {
    const multipart = p.contentType.toLowerCase().startsWith("multipart/form-data");
    const form = await formDataBody(p.formData, multipart, ctx.services.storage);
    body = form.body;
    headers[header(headers, "content-type") ?? "Content-Type"] = form.contentType;
  } else if (p.body !== undefined) {
    body = new TextEncoder().encode(typeof p.body === "string" ? p.body : JSON.stringify(p.body));
    if (!header(headers, "content-type")) headers["Content-Type"] = p.contentType;
  }

  const auth = options?.auth;
  if (auth?.type === "DIGEST")
    throw new Error("DIGEST authentication is not supported by this version of Cadenza");
  const basicUser = auth?.type === "BASIC" ? auth.username : options?.basicAuthUser;
  const basicPassword = auth?.type === "BASIC" ? auth.password : options?.basicAuthPassword;
  if (auth?.type === "BASIC" || basicUser !== undefined) {
    headers.Authorization = `Basic ${Buffer.from(`${basicUser ?? ""}:${basicPassword ?? ""}`).toString("base64")}`;
  } else if (auth?.type === "BEARER") {
    headers.Authorization = `Bearer ${auth.token ?? ""}`;
  }
  if (!header(headers, "user-agent")) headers["User-Agent"] = "Cadenza";

  const connectTimeoutMs = ms(options?.timeout?.connectTimeout ?? options?.connectTimeout, "connectTimeout");
  const readIdleTimeoutMs = ms(
    options?.timeout?.readIdleTimeout ??
      options?.readIdleTimeout ??
      options?.readTimeout ??
      DEFAULT_READ_IDLE,
    "readIdleTimeout",
  );
  return {
    url: p.uri,
    method: p.method,
    headers,
    ...(body ? { body } : {}),
    // No policy given: non-public addresses are refused (servers, the CLI and tests opt in explicitly).
    policy: ctx.services.httpPolicy ?? { allowPrivateNetworks: false },
    followRedirects: options?.followRedirects ?? true,
    ...(connectTimeoutMs !== undefined ? { connectTimeoutMs } : {}),
    ...(readIdleTimeoutMs !== undefined ? { readIdleTimeoutMs } : {}),
    insecure: Boolean(
      options?.ssl?.insecureTrustAllCertificates ?? p.sslOptions?.insecureTrustAllCertificates,
    ),
    maxBodyBytes,
    signal: ctx.signal,
  };
}

/** The charset of a response, from its Content-Type; UTF-8 by default. */
export function bodyText(response: HttpResponse): string {
  const type = response.headers["content-type"]?.[0] ?? "";
  const charset = /charset="?([^";\s]+)"?/i.exec(type)?.[1] ?? "utf-8";
  try {
    return new TextDecoder(charset).decode(response.body);
  } catch {
    return new TextDecoder("utf-8").decode(response.body);
  }
}

/** Sends the request, logs what `options.logs` asks for, and fails on >= 400 unless allowFailed. */
export async function send(
  ctx: TaskRunContext<RequestProperties>,
  maxBodyBytes: number,
): Promise<HttpResponse> {
  const request = await buildRequest(ctx, maxBodyBytes);
  const logs = new Set(ctx.properties.options?.logs ?? []);
  if (logs.has("REQUEST_HEADERS"))
    ctx.logger.info(`Request headers: ${JSON.stringify(redact(request.headers))}`);
  if (logs.has("REQUEST_BODY") && request.body) {
    ctx.logger.info(`Request body: ${new TextDecoder().decode(request.body).slice(0, 10_000)}`);
  }
  ctx.logger.debug(`${request.method} ${request.url}`);
  const response = await sendHttp(request);
  if (logs.has("RESPONSE_HEADERS")) ctx.logger.info(`Response headers: ${JSON.stringify(response.headers)}`);
  if (logs.has("RESPONSE_BODY")) ctx.logger.info(`Response body: ${bodyText(response).slice(0, 10_000)}`);
  const allowFailed = ctx.properties.options?.allowFailed || ctx.properties.allowFailed;
  if (response.status >= 400 && !allowFailed) {
    throw new Error(`Failed http request with response code '${response.status}'`);
  }
  return response;
}

function redact(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [
      k,
      /^(authorization|cookie|proxy-authorization)$/i.test(k) ? "***" : v,
    ]),
  );
}
