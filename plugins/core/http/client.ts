import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import zlib from "node:zlib";
import type { HttpPolicy } from "@/engine/plugin";
import { isAllowedAddress } from "./address-policy";

export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  /**
   * Where the request may go: non-public destinations are refused unless the policy allows them (checked
   * on the address the socket connects to, after DNS resolution, on every redirect).
   */
  policy: HttpPolicy;
  followRedirects: boolean;
  connectTimeoutMs?: number;
  /** Longest silence allowed while waiting for or reading the response. */
  readIdleTimeoutMs?: number;
  /** Accept any TLS certificate (insecure). */
  insecure?: boolean;
  /** The largest response body accepted, in bytes. */
  maxBodyBytes: number;
  signal: AbortSignal;
}

export interface HttpResponse {
  /** The URL that answered (after redirects). */
  url: string;
  status: number;
  headers: Record<string, string[]>;
  body: Uint8Array;
}

/** A request refused by Cadenza before anything was sent (scheme, address policy). */
export class HttpRefusedError extends Error {}

const MAX_REDIRECTS = 10;

/** Checks the scheme: only http and https (no file://, ftp://, data:...). */
export function checkHttpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new HttpRefusedError(`'${text}' is not a valid URI`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new HttpRefusedError(`only http:// and https:// URIs are allowed, not ${url.protocol}//`);
  }
  return url;
}

const refusal = (host: string, address: string) =>
  new HttpRefusedError(
    `http request to ${host === address ? host : `${host} (${address})`} refused: private and loopback addresses are blocked (CADENZA_HTTP_ALLOWED_NETWORKS allows ranges)`,
  );

type Resolve = (
  hostname: string,
  options: { all: true; family?: number; hints?: number },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** A policy's own resolver (tests), in the callback shape of dns.lookup. */
function resolverOf(policy: HttpPolicy): Resolve {
  const resolve = policy.resolve;
  if (!resolve) return dnsLookup as unknown as Resolve;
  return (hostname, _options, callback) => {
    resolve(hostname).then(
      (addresses) => callback(null, addresses),
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}

/**
 * A DNS lookup that checks every address the name resolves to and hands exactly those to the socket, so the
 * connection goes to an address that was checked (a second resolution could answer differently: DNS rebinding).
 */
export function checkedLookup(
  resolve: Resolve = dnsLookup as unknown as Resolve,
  policy: HttpPolicy = { allowPrivateNetworks: false },
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...(options as object), all: true }, (error, addresses) => {
      if (error) return (callback as (e: Error) => void)(error);
      if (addresses.length === 0) {
        return (callback as (e: Error) => void)(new Error(`${hostname} has no address`));
      }
      const refused = addresses.find((a) => !isAllowedAddress(a.address, policy));
      if (refused) return (callback as (e: Error) => void)(refusal(hostname, refused.address));
      if ((options as { all?: boolean }).all) {
        return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      }
      const first = addresses[0] as LookupAddress;
      return (callback as (e: null, a: string, f: number) => void)(null, first.address, first.family);
    });
  };
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? "").trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return zlib.gunzipSync(body);
    case "deflate":
      return zlib.inflateSync(body);
    case "br":
      return zlib.brotliDecompressSync(body);
    default:
      return body;
  }
}

function once(request: HttpRequest, url: URL): Promise<HttpResponse & { location?: string }> {
  // url.hostname is WHATWG-normalised: 2130706433, 0x7f000001, 0177.0.0.1 and 127.1 are all 127.0.0.1 here.
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && !isAllowedAddress(host, request.policy)) {
    return Promise.reject(refusal(host, host));
  }
  const transport = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    let connectTimer: NodeJS.Timeout | undefined;
    const req = transport.request(url, {
      method: request.method,
      headers: {
        ...request.headers,
        ...(request.body ? { "content-length": String(request.body.byteLength) } : {}),
      },
      signal: request.signal,
      // Names are resolved through the checked lookup (IP literals never reach it: checked above).
      lookup: checkedLookup(resolverOf(request.policy), request.policy),
      ...(url.protocol === "https:" && request.insecure ? { rejectUnauthorized: false } : {}),
      // A fresh connection per request: a pooled socket would skip the address check.
      agent: false,
    });
    const fail = (error: Error) => {
      clearTimeout(connectTimer);
      req.destroy();
      reject(error);
    };
    if (request.connectTimeoutMs !== undefined) {
      const ms = request.connectTimeoutMs;
      req.on("socket", (socket) => {
        if (!socket.connecting) return;
        connectTimer = setTimeout(() => fail(new Error(`connect timed out after ${ms} ms`)), ms);
        socket.once(url.protocol === "https:" ? "secureConnect" : "connect", () =>
          clearTimeout(connectTimer),
        );
      });
    }
    if (request.readIdleTimeoutMs !== undefined) {
      const ms = request.readIdleTimeoutMs;
      req.setTimeout(ms, () => fail(new Error(`read timed out: no data for ${ms} ms`)));
    }
    req.on("error", (error) => {
      clearTimeout(connectTimer);
      reject(error);
    });
    req.on("response", (res) => {
      clearTimeout(connectTimer);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > request.maxBodyBytes) {
          fail(new Error(`the response body is larger than ${request.maxBodyBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on("error", (error) => fail(error));
      res.on("end", () => {
        try {
          const headers: Record<string, string[]> = {};
          for (const [name, values] of Object.entries(res.headersDistinct)) {
            if (values) headers[name] = values;
          }
          const body = decode(Buffer.concat(chunks), res.headers["content-encoding"]);
          resolve({
            url: url.toString(),
            status: res.statusCode ?? 0,
            headers,
            body: new Uint8Array(body),
            ...(res.headers.location ? { location: res.headers.location } : {}),
          });
        } catch (error) {
          reject(new Error(`cannot decode the response body: ${(error as Error).message}`));
        }
      });
    });
    if (request.body) req.end(request.body);
    else req.end();
  });
}

/**
 * Sends a request with Node's HTTP client, following redirects when asked (each hop checked like the
 * first). Timeouts, the task's abort signal and the address policy all apply.
 */
export async function sendHttp(request: HttpRequest): Promise<HttpResponse> {
  let url = checkHttpUrl(request.url);
  let current = request;
  for (let hops = 0; ; hops++) {
    const response = await once(current, url);
    const redirect = response.location && [301, 302, 303, 307, 308].includes(response.status);
    if (!redirect || !request.followRedirects) return response;
    if (hops >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
    const next = checkHttpUrl(new URL(response.location as string, url).toString());
    const headers = { ...current.headers };
    if (next.origin !== url.origin) {
      // Credentials are for the origin they were given to.
      for (const name of Object.keys(headers)) {
        if (/^(authorization|cookie|proxy-authorization)$/i.test(name)) delete headers[name];
      }
    }
    const keepMethod = response.status === 307 || response.status === 308;
    const method = keepMethod || current.method === "HEAD" ? current.method : "GET";
    if (!keepMethod) {
      for (const name of Object.keys(headers)) if (/^content-/i.test(name)) delete headers[name];
    }
    current = { ...current, method, headers, ...(keepMethod ? {} : { body: undefined }) };
    url = next;
  }
}
