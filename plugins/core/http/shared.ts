import { z } from "zod";
import { duration, dyn } from "@/engine/plugin";

/** Kestra's pre-0.18 names of the HTTP tasks: `io.kestra.plugin.fs.http.<Name>`. */
export const oldHttp = (name: string): string => `io.kestra.plugin.fs.http.${name}`;

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"] as const;

const auth = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("BASIC"),
    username: z.string().optional().describe("The user name."),
    password: z.string().optional().describe("The password."),
  }),
  z.strictObject({
    type: z.literal("BEARER"),
    token: z.string().optional().describe("The token sent as `Authorization: Bearer <token>`."),
  }),
  z.strictObject({
    type: z.literal("DIGEST"),
    username: z.string().optional().describe("The user name."),
    password: z.string().optional().describe("The password."),
  }),
]);

const ssl = z
  .strictObject({
    insecureTrustAllCertificates: dyn(z.boolean())
      .optional()
      .describe("Accept any server certificate. Insecure: for testing only; prefer a trust store."),
  })
  .describe("TLS options.");

/** HttpConfiguration: the `options` of every HTTP task. Deprecated flat properties are still accepted. */
export const httpOptions = z
  .strictObject({
    timeout: z
      .strictObject({
        connectTimeout: duration.optional().describe("Time allowed to establish the connection."),
        readIdleTimeout: duration
          .default("PT5M")
          .describe("Time a connection may stay idle while reading before it is closed."),
      })
      .optional()
      .describe("Timeouts."),
    proxy: z
      .strictObject({
        type: z.enum(["DIRECT", "HTTP", "SOCKS"]).default("DIRECT").describe("The type of proxy."),
        address: z.string().optional().describe("The address of the proxy server."),
        port: dyn(z.number().int().min(1).max(65535)).optional().describe("The port of the proxy server."),
        username: z.string().optional().describe("The user name for the proxy."),
        password: z.string().optional().describe("The password for the proxy."),
      })
      .optional()
      .describe("The proxy to go through."),
    auth: auth
      .optional()
      .describe("Authentication: `type` BASIC (username, password), BEARER (token) or DIGEST."),
    ssl: ssl.optional(),
    followRedirects: dyn(z.boolean()).default(true).describe("Follow redirects automatically."),
    allowFailed: dyn(z.boolean())
      .default(false)
      .describe("Do not fail the task on a response code of 400 or more."),
    defaultCharset: z.string().default("UTF-8").describe("The charset of the request body."),
    logs: z
      .array(z.enum(["REQUEST_HEADERS", "REQUEST_BODY", "RESPONSE_HEADERS", "RESPONSE_BODY"]))
      .optional()
      .describe("What to log of the request and response."),
    connectTimeout: duration.optional().describe("Deprecated: use timeout.connectTimeout."),
    readTimeout: duration.optional().describe("Deprecated: use timeout.readIdleTimeout."),
    readIdleTimeout: duration.optional().describe("Deprecated: use timeout.readIdleTimeout."),
    connectionPoolIdleTimeout: duration.optional().describe("Deprecated and ignored."),
    maxContentLength: dyn(z.number().int().positive()).optional().describe("Deprecated and ignored."),
    proxyType: z.enum(["DIRECT", "HTTP", "SOCKS"]).optional().describe("Deprecated: use proxy.type."),
    proxyAddress: z.string().optional().describe("Deprecated: use proxy.address."),
    proxyPort: dyn(z.number().int().min(1).max(65535)).optional().describe("Deprecated: use proxy.port."),
    proxyUsername: z.string().optional().describe("Deprecated: use proxy.username."),
    proxyPassword: z.string().optional().describe("Deprecated: use proxy.password."),
    basicAuthUser: z.string().optional().describe("Deprecated: use auth with type BASIC."),
    basicAuthPassword: z.string().optional().describe("Deprecated: use auth with type BASIC."),
    logLevel: z
      .enum(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF", "NOT_SPECIFIED"])
      .optional()
      .describe("Deprecated: use logs."),
  })
  .describe("Connection options: timeouts, proxy, authentication, TLS, redirects...");

/** The properties of a request, shared by Request, Download and the polling Trigger (HttpInterface). */
export const requestShape = {
  uri: z.string().min(1).describe("The fully-qualified URI of the HTTP destination."),
  method: z.enum(HTTP_METHODS).default("GET").describe("The HTTP method."),
  body: z
    .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
    .optional()
    .describe("The full body; a map or a list is sent as JSON."),
  formData: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      "Form fields, sent URL-encoded, or as multipart when `contentType` is `multipart/form-data` (a `kestra://` URI, or `{name, content}`, sends a file).",
    ),
  contentType: z.string().default("application/json").describe("The content type of the request body."),
  headers: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .optional()
    .describe("Request headers."),
  options: httpOptions.optional(),
  sslOptions: ssl.optional().describe("Deprecated: use options.ssl."),
  allowFailed: dyn(z.boolean()).optional().describe("Deprecated: use options.allowFailed."),
};

export const responseHeaders = z
  .record(z.string(), z.array(z.string()))
  .describe("The response headers, each a list of values.");
