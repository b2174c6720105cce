import type { FileStorage } from "@/engine/plugin";
import {
  type AwsCredentials,
  parseListPage,
  type S3Location,
  s3Endpoint,
  s3Failure,
  s3Url,
  sha256Hex,
  signRequest,
} from "@/plugins/aws";
import { uriSegments } from "./local";

export interface S3StorageOptions {
  /** The S3 API endpoint, e.g. `https://s3.eu-west-1.amazonaws.com` or `http://minio:9000`. */
  endpoint: string;
  region: string;
  bucket: string;
  credentials: AwsCredentials;
  /**
   * Path-style URLs (`{endpoint}/{bucket}/{key}`, default: what MinIO, Ceph and moto expect) or, when false,
   * virtual-hosted ones (`{bucket}.{endpoint host}/{key}`, AWS's preferred form).
   */
  pathStyle?: boolean;
  /** A key prefix inside the bucket (e.g. `cadenza/`); none by default. */
  prefix?: string;
  /** Keys per list request (S3's own default and maximum: 1000); tests make it small to cross pages. */
  pageSize?: number;
  /** Per-request timeout. Default 60 s. */
  timeoutMs?: number;
  /** For tests: the fetch to use. */
  fetch?: typeof fetch;
}

const SCHEME = "kestra:///";

/**
 * Internal storage in an S3-compatible bucket (AWS S3, MinIO, Ceph, R2...), over path-style or
 * virtual-hosted URLs signed with AWS Signature Version 4 (plugins/aws, shared with the aws.s3 tasks).
 * `kestra:///a/b.txt` is the key `{prefix}a/b.txt`. The endpoint is the operator's, so it is reached with
 * plain fetch, not through the outbound-address policy that tenants' tasks follow.
 */
export class S3Storage implements FileStorage {
  private readonly location: S3Location;
  private readonly prefix: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: S3StorageOptions) {
    this.location = {
      endpoint: s3Endpoint(options.endpoint),
      bucket: options.bucket,
      pathStyle: options.pathStyle ?? true,
    };
    this.prefix = options.prefix ? `${options.prefix.replace(/^\/+|\/+$/g, "")}/` : "";
    this.fetch = options.fetch ?? fetch;
  }

  private key(uri: string): string {
    return this.prefix + uriSegments(uri).join("/");
  }

  private url(key: string | undefined, query: Record<string, string> = {}): URL {
    return s3Url(this.location, key, query);
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
    return s3Failure(response.status, await response.text().catch(() => ""), what);
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
      if (this.options.pageSize) query["max-keys"] = String(this.options.pageSize);
      if (token) query["continuation-token"] = token;
      const response = await this.send("GET", this.url(undefined, query));
      if (!response.ok) throw await this.failure(response, `LIST ${prefix}`);
      const page = parseListPage(await response.text());
      for (const object of page.objects) out.push(SCHEME + object.key.slice(this.prefix.length));
      token = page.next;
    } while (token);
    return out.sort();
  }
}
