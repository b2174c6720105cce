// The aws.s3 tasks' S3 client: Kestra's connection properties (accessKeyId, secretKeyId, region,
// endpointOverride...), each request signed with Signature Version 4 and sent through the same client and
// outbound-address policy as core.http.Request, so a tenant cannot reach loopback or private addresses
// through `endpointOverride` unless the operator allows them.
import { createHash } from "node:crypto";
import { z } from "zod";
import { dyn, type HttpPolicy } from "@/engine/plugin";
import { type HttpResponse, sendHttp } from "../../core/http/client";
import {
  awsS3Endpoint,
  parseListPage,
  type S3ListedObject,
  type S3Location,
  s3Endpoint,
  s3Failure,
  s3Url,
  xmlEscape,
  xmlTags,
} from "../s3-protocol";
import { type AwsCredentials, sha256Hex, signRequest } from "../sigv4";

/** Kestra's `AbstractConnection` properties, shared by every aws.s3 task and the trigger. */
export const connectionShape = {
  accessKeyId: z
    .string()
    .optional()
    .describe(
      "The access key id. Required here: Cadenza does not read AWS's default credential chain of the server.",
    ),
  secretKeyId: z.string().optional().describe("The secret access key."),
  sessionToken: z.string().optional().describe("The session token of temporary credentials (STS)."),
  region: z.string().optional().describe("The AWS region, e.g. `eu-central-1`. Default `us-east-1`."),
  endpointOverride: z
    .string()
    .optional()
    .describe(
      "The endpoint of an S3-compatible service (MinIO, Ceph, R2...), e.g. `http://minio:9000`. Default AWS's endpoint of the region.",
    ),
  forcePathStyle: dyn(z.boolean())
    .optional()
    .describe(
      "Address buckets as `{endpoint}/{bucket}` instead of `{bucket}.{endpoint}`. Default: true with `endpointOverride`, false on AWS.",
    ),
  compatibilityMode: z
    .boolean()
    .default(false)
    .describe(
      "Accepted for Kestra compatibility; Cadenza's client works with S3-compatible services either way.",
    ),
};

export type S3Connection = {
  accessKeyId?: string | undefined;
  secretKeyId?: string | undefined;
  sessionToken?: string | undefined;
  region?: string | undefined;
  endpointOverride?: string | undefined;
  forcePathStyle?: boolean | undefined;
};

/** The properties that select objects by listing (List, Downloads, DeleteList, the Trigger). */
export const listShape = {
  prefix: z.string().optional().describe("Only keys that start with this prefix."),
  delimiter: z
    .string()
    .optional()
    .describe("Groups keys by this character (e.g. `/`): deeper keys are not listed."),
  marker: z.string().optional().describe("Starts listing after this key."),
  encodingType: z.string().optional().describe("Accepted for Kestra compatibility; keys are always decoded."),
  maxKeys: dyn(z.number().int().positive()).default(1000).describe("The most keys listed."),
  expectedBucketOwner: z
    .string()
    .optional()
    .describe("The account that must own the bucket (403 otherwise)."),
  regexp: z.string().optional().describe("Only keys that match this regular expression (the whole key)."),
  filter: z
    .enum(["FILES", "DIRECTORY", "BOTH"])
    .default("BOTH")
    .describe("Files (keys not ending with `/`), directories (keys ending with `/`) or both."),
};

export interface ListOptions {
  prefix?: string | undefined;
  delimiter?: string | undefined;
  marker?: string | undefined;
  maxKeys: number;
  expectedBucketOwner?: string | undefined;
  regexp?: string | undefined;
  filter: "FILES" | "DIRECTORY" | "BOTH";
}

/** The largest object Download reads: it is held in memory on its way to the internal storage. */
export const MAX_OBJECT_BYTES = 512 * 1024 * 1024;

export class S3Client {
  private readonly endpoint: URL;
  private readonly credentials: AwsCredentials;
  private readonly region: string;
  private readonly pathStyle: boolean;

  constructor(
    connection: S3Connection,
    private readonly policy: HttpPolicy,
    private readonly signal: AbortSignal,
  ) {
    if (!connection.accessKeyId || !connection.secretKeyId)
      throw new Error(
        "accessKeyId and secretKeyId are required (Cadenza does not read the server's own AWS credentials); use secret('...')",
      );
    this.region = connection.region ?? "us-east-1";
    this.endpoint = s3Endpoint(connection.endpointOverride ?? awsS3Endpoint(this.region));
    this.pathStyle = connection.forcePathStyle ?? Boolean(connection.endpointOverride);
    this.credentials = {
      accessKeyId: connection.accessKeyId,
      secretAccessKey: connection.secretKeyId,
      ...(connection.sessionToken ? { sessionToken: connection.sessionToken } : {}),
    };
  }

  private location(bucket: string): S3Location {
    if (!bucket) throw new Error("bucket is required");
    return { endpoint: this.endpoint, bucket, pathStyle: this.pathStyle };
  }

  private async send(
    method: string,
    url: URL,
    what: string,
    options: { body?: Uint8Array; headers?: Record<string, string> } = {},
  ): Promise<HttpResponse> {
    const body = options.body;
    const { host: _host, ...headers } = signRequest(
      { method, url, headers: options.headers ?? {}, payloadHash: sha256Hex(body ?? new Uint8Array()) },
      this.credentials,
      this.region,
    );
    const response = await sendHttp({
      url: url.toString(),
      method,
      headers,
      ...(body ? { body } : {}),
      policy: this.policy,
      followRedirects: false,
      readIdleTimeoutMs: 60_000,
      maxBodyBytes: MAX_OBJECT_BYTES,
      signal: this.signal,
    });
    if (response.status >= 300)
      throw s3Failure(response.status, new TextDecoder().decode(response.body), what);
    return response;
  }

  async putObject(
    bucket: string,
    key: string,
    body: Uint8Array,
    headers: Record<string, string>,
  ): Promise<{ eTag?: string; versionId?: string }> {
    const response = await this.send("PUT", s3Url(this.location(bucket), key), `PUT s3://${bucket}/${key}`, {
      body,
      headers,
    });
    return versionOf(response);
  }

  /** The object's body and headers (a missing key fails with S3's NoSuchKey). */
  async getObject(
    bucket: string,
    key: string,
    versionId?: string,
  ): Promise<{ body: Uint8Array; headers: Record<string, string> }> {
    const url = s3Url(this.location(bucket), key, versionId ? { versionId } : {});
    const response = await this.send("GET", url, `GET s3://${bucket}/${key}`);
    return { body: response.body, headers: flat(response.headers) };
  }

  async deleteObject(bucket: string, key: string): Promise<{ deleteMarker: boolean; versionId?: string }> {
    const response = await this.send(
      "DELETE",
      s3Url(this.location(bucket), key),
      `DELETE s3://${bucket}/${key}`,
    );
    const headers = flat(response.headers);
    return {
      deleteMarker: headers["x-amz-delete-marker"] === "true",
      ...(headers["x-amz-version-id"] ? { versionId: headers["x-amz-version-id"] } : {}),
    };
  }

  async copyObject(
    from: { bucket: string; key: string; versionId?: string | undefined },
    to: { bucket: string; key: string },
  ): Promise<{ eTag?: string; versionId?: string }> {
    const source = `/${from.bucket}/${from.key.split("/").map(encodeURIComponent).join("/")}${
      from.versionId ? `?versionId=${encodeURIComponent(from.versionId)}` : ""
    }`;
    const response = await this.send(
      "PUT",
      s3Url(this.location(to.bucket), to.key),
      `COPY s3://${from.bucket}/${from.key} to s3://${to.bucket}/${to.key}`,
      { headers: { "x-amz-copy-source": source } },
    );
    // A copy can fail after its 200 (S3 says so in the body).
    const text = new TextDecoder().decode(response.body);
    if (xmlTags(text, "Error").length > 0)
      throw s3Failure(response.status, text, `COPY s3://${from.bucket}/${from.key}`);
    const eTag = xmlTags(text, "ETag")[0];
    const version = versionOf(response);
    return { ...version, ...(eTag ? { eTag } : {}) };
  }

  /** Keys of a bucket, page after page, filtered as Kestra's List does, at most `maxKeys` of them. */
  async list(bucket: string, options: ListOptions): Promise<S3ListedObject[]> {
    const pattern = options.regexp === undefined ? undefined : new RegExp(`^(?:${options.regexp})$`);
    const out: S3ListedObject[] = [];
    let token: string | undefined;
    do {
      const query: Record<string, string> = {
        "list-type": "2",
        "max-keys": String(Math.min(options.maxKeys, 1000)),
        "fetch-owner": "true",
      };
      if (options.prefix) query.prefix = options.prefix;
      if (options.delimiter) query.delimiter = options.delimiter;
      if (options.marker && !token) query["start-after"] = options.marker;
      if (token) query["continuation-token"] = token;
      const headers: Record<string, string> = options.expectedBucketOwner
        ? { "x-amz-expected-bucket-owner": options.expectedBucketOwner }
        : {};
      const response = await this.send(
        "GET",
        s3Url(this.location(bucket), undefined, query),
        `LIST s3://${bucket}`,
        {
          headers,
        },
      );
      const page = parseListPage(new TextDecoder().decode(response.body));
      for (const object of page.objects) {
        const directory = object.key.endsWith("/");
        if (options.filter === "FILES" && directory) continue;
        if (options.filter === "DIRECTORY" && !directory) continue;
        if (pattern && !pattern.test(object.key)) continue;
        out.push(object);
        if (out.length >= options.maxKeys) return out;
      }
      token = page.next;
    } while (token);
    return out;
  }

  /** Deletes keys in batches of 1,000 (DeleteObjects); returns how many S3 reported deleted. */
  async deleteObjects(bucket: string, keys: string[]): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const xml = `<Delete>${batch.map((key) => `<Object><Key>${xmlEscape(key)}</Key></Object>`).join("")}</Delete>`;
      const body = new TextEncoder().encode(xml);
      const md5 = createHash("md5").update(body).digest("base64");
      const response = await this.send(
        "POST",
        s3Url(this.location(bucket), undefined, { delete: "" }),
        `DELETE in s3://${bucket}`,
        {
          body,
          headers: { "content-type": "application/xml", "content-md5": md5 },
        },
      );
      const text = new TextDecoder().decode(response.body);
      const errors = [...text.matchAll(/<Error>([\s\S]*?)<\/Error>/g)];
      if (errors.length > 0) {
        const first = errors[0]?.[1] ?? "";
        throw new Error(
          `S3 DELETE in s3://${bucket} failed for ${errors.length} key(s), first ${xmlTags(first, "Key")[0]}: ${xmlTags(first, "Code")[0]} ${xmlTags(first, "Message")[0] ?? ""}`.trim(),
        );
      }
      deleted += xmlTags(text, "Deleted").length;
    }
    return deleted;
  }
}

function flat(headers: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, values]) => [name, values.join(", ")]));
}

function versionOf(response: HttpResponse): { eTag?: string; versionId?: string } {
  const headers = flat(response.headers);
  return {
    ...(headers.etag ? { eTag: headers.etag } : {}),
    ...(headers["x-amz-version-id"] ? { versionId: headers["x-amz-version-id"] } : {}),
  };
}
