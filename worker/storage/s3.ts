import type { FileStorage } from "@/engine/plugin";
import { uriSegments } from "./local";
import { type AwsCredentials, encodeRfc3986, sha256Hex, signRequest } from "./sigv4";

export interface S3StorageOptions {
  /** The S3 API endpoint, e.g. `https://s3.eu-west-1.amazonaws.com` or `http://minio:9000`. */
  endpoint: string;
  region: string;
  bucket: string;
  credentials: AwsCredentials;
  /** A key prefix inside the bucket (e.g. `cadenza/`); none by default. */
  prefix?: string;
  /** Per-request timeout. Default 60 s. */
  timeoutMs?: number;
  /** For tests: the fetch to use. */
  fetch?: typeof fetch;
}

const SCHEME = "kestra:///";

function xmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const e = entity.toLowerCase();
    if (e === "amp") return "&";
    if (e === "lt") return "<";
    if (e === "gt") return ">";
    if (e === "quot") return '"';
    if (e === "apos") return "'";
    return String.fromCodePoint(e.startsWith("#x") ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}

const tags = (xml: string, tag: string) =>
  [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => xmlText(m[1] as string));

/**
 * Internal storage in an S3-compatible bucket (AWS S3, MinIO, Ceph, R2...), over path-style URLs
 * (`{endpoint}/{bucket}/{key}`) signed with AWS Signature Version 4. `kestra:///a/b.txt` is the key
 * `{prefix}a/b.txt`.
 */
export class S3Storage implements FileStorage {
  private readonly endpoint: URL;
  private readonly prefix: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: S3StorageOptions) {
    this.endpoint = new URL(options.endpoint);
    if (this.endpoint.protocol !== "http:" && this.endpoint.protocol !== "https:") {
      throw new Error(`the S3 endpoint must be an http(s) URL, got ${options.endpoint}`);
    }
    this.prefix = options.prefix ? `${options.prefix.replace(/^\/+|\/+$/g, "")}/` : "";
    this.fetch = options.fetch ?? fetch;
  }

  private key(uri: string): string {
    return this.prefix + uriSegments(uri).join("/");
  }

  private url(key: string | undefined, query: Record<string, string> = {}): URL {
    const base = this.endpoint.pathname.replace(/\/+$/, "");
    const path = [encodeRfc3986(this.options.bucket), ...(key ? key.split("/").map(encodeRfc3986) : [])].join(
      "/",
    );
    const url = new URL(`${this.endpoint.origin}${base}/${path}`);
    // Encoded by hand (spaces as %20, not +): what is sent is exactly what is signed.
    url.search = Object.entries(query)
      .map(([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`)
      .join("&");
    return url;
  }

  private async send(
    method: string,
    url: URL,
    body?: Uint8Array,
    extra: Record<string, string> = {},
    signal: AbortSignal = AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
  ) {
    const payloadHash = sha256Hex(body ?? new Uint8Array());
    const headers = signRequest(
      { method, url, headers: extra, payloadHash },
      this.options.credentials,
      this.options.region,
    );
    // `host` is set by fetch itself from the URL; the signed value is the same.
    const { host: _host, ...sent } = headers;
    return this.fetch(url, {
      method,
      headers: sent,
      ...(body ? { body: body as Uint8Array<ArrayBuffer> } : {}),
      signal,
    });
  }

  private async failure(response: Response, what: string): Promise<Error> {
    const text = await response.text().catch(() => "");
    const code = tags(text, "Code")[0];
    const message = tags(text, "Message")[0];
    return new Error(
      `S3 ${what} failed: ${response.status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""}`,
    );
  }

  async put(uri: string, data: Uint8Array | string): Promise<string> {
    const body = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const response = await this.send("PUT", this.url(this.key(uri)), body, {
      "content-type": "application/octet-stream",
    });
    if (!response.ok) throw await this.failure(response, `PUT ${uri}`);
    await response.arrayBuffer();
    return uri;
  }

  async get(uri: string): Promise<Uint8Array> {
    const response = await this.send("GET", this.url(this.key(uri)));
    if (response.status === 404) {
      await response.arrayBuffer();
      throw new Error(`file not found in internal storage: ${uri}`);
    }
    if (!response.ok) throw await this.failure(response, `GET ${uri}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  /**
   * The object's body as it arrives, for files too large to hold. The timeout applies to each wait (for the
   * answer, then for each chunk), not to the whole transfer, which may rightly take longer.
   */
  async *read(uri: string): AsyncIterable<Uint8Array> {
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    const abort = new AbortController();
    let timer = setTimeout(() => abort.abort(new Error(`S3 GET ${uri} timed out`)), timeoutMs);
    try {
      const response = await this.send("GET", this.url(this.key(uri)), undefined, {}, abort.signal);
      if (response.status === 404) {
        await response.arrayBuffer();
        throw new Error(`file not found in internal storage: ${uri}`);
      }
      if (!response.ok) throw await this.failure(response, `GET ${uri}`);
      if (!response.body) return;
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        clearTimeout(timer);
        yield value;
        timer = setTimeout(() => abort.abort(new Error(`S3 GET ${uri} timed out`)), timeoutMs);
      }
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
  }

  private async headers(uri: string): Promise<Headers | undefined> {
    const response = await this.send("HEAD", this.url(this.key(uri)));
    if (response.status === 404) return undefined;
    if (!response.ok) throw await this.failure(response, `HEAD ${uri}`);
    return response.headers;
  }

  private async head(uri: string): Promise<number | undefined> {
    const headers = await this.headers(uri);
    return headers ? Number(headers.get("content-length") ?? 0) : undefined;
  }

  async modified(uri: string): Promise<Date | undefined> {
    const text = (await this.headers(uri))?.get("last-modified");
    const date = text ? new Date(text) : undefined;
    return date && !Number.isNaN(date.getTime()) ? date : undefined;
  }

  async exists(uri: string): Promise<boolean> {
    return (await this.head(uri)) !== undefined;
  }

  async size(uri: string): Promise<number> {
    const size = await this.head(uri);
    if (size === undefined) throw new Error(`file not found in internal storage: ${uri}`);
    return size;
  }

  async delete(uri: string): Promise<boolean> {
    // S3 answers 204 whether or not the key existed: ask first.
    if (!(await this.exists(uri))) return false;
    const response = await this.send("DELETE", this.url(this.key(uri)));
    if (!response.ok) throw await this.failure(response, `DELETE ${uri}`);
    await response.arrayBuffer();
    return true;
  }

  async list(prefix: string): Promise<string[]> {
    if (!prefix.startsWith(SCHEME)) return [];
    const keyPrefix = this.prefix + prefix.slice(SCHEME.length);
    const out: string[] = [];
    let token: string | undefined;
    do {
      const query: Record<string, string> = { "list-type": "2", prefix: keyPrefix };
      if (token) query["continuation-token"] = token;
      const response = await this.send("GET", this.url(undefined, query));
      if (!response.ok) throw await this.failure(response, `LIST ${prefix}`);
      const xml = await response.text();
      for (const key of tags(xml, "Key")) out.push(SCHEME + key.slice(this.prefix.length));
      token = tags(xml, "IsTruncated")[0] === "true" ? tags(xml, "NextContinuationToken")[0] : undefined;
    } while (token);
    return out.sort();
  }
}
