// What every S3 caller needs besides a transport: the request URL (path-style or virtual-hosted), the
// pieces of S3's XML answers, and its errors as one sentence. Shared by the internal storage's S3 backend
// (worker/storage/s3.ts, plain fetch to the operator's endpoint) and the aws.s3 tasks (through the
// outbound-address policy), so the two cannot drift.
import { encodeRfc3986 } from "./sigv4";

export interface S3Location {
  /** `https://s3.eu-west-1.amazonaws.com`, `http://minio:9000`, possibly with a base path. */
  endpoint: URL;
  bucket: string;
  /**
   * `{endpoint}/{bucket}/{key}` (true) or `{bucket}.{endpoint host}/{key}` (false, AWS's virtual-hosted
   * style, needed by buckets whose names have dots only with path-style).
   */
  pathStyle: boolean;
}

/** An S3 endpoint as a URL, refusing anything but http(s). */
export function s3Endpoint(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`the S3 endpoint must be an http(s) URL, got ${text}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`the S3 endpoint must be an http(s) URL, got ${text}`);
  return url;
}

/** AWS's own endpoint for a region. */
export const awsS3Endpoint = (region: string) =>
  region === "us-east-1" ? "https://s3.amazonaws.com" : `https://s3.${region}.amazonaws.com`;

/**
 * The URL of an object (`key`) or of the bucket (`key` undefined), with its query encoded by hand (spaces
 * as %20, not +), so that what is sent is exactly what is signed.
 */
export function s3Url(
  location: S3Location,
  key: string | undefined,
  query: Record<string, string> = {},
): URL {
  const { endpoint, bucket } = location;
  const base = endpoint.pathname.replace(/\/+$/, "");
  const keyPath = key ? key.split("/").map(encodeRfc3986) : [];
  const url = location.pathStyle
    ? new URL(`${endpoint.origin}${base}/${[encodeRfc3986(bucket), ...keyPath].join("/")}`)
    : new URL(`${endpoint.protocol}//${bucket}.${endpoint.host}${base}/${keyPath.join("/")}`);
  url.search = Object.entries(query)
    .map(([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`)
    .join("&");
  return url;
}

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

/** The text of every `<tag>...</tag>` of an S3 answer, entities decoded (S3's XML has no attributes there). */
export const xmlTags = (xml: string, tag: string): string[] =>
  [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => xmlText(m[1] as string));

/** Escapes text for an XML body (DeleteObjects' keys). */
export const xmlEscape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** An S3 error answer as one sentence: `S3 GET x failed: 403 SignatureDoesNotMatch: ...`. */
export function s3Failure(status: number, body: string, what: string): Error {
  const code = xmlTags(body, "Code")[0];
  const message = xmlTags(body, "Message")[0];
  return new Error(`S3 ${what} failed: ${status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""}`);
}

/** One object of a ListObjectsV2 page. */
export interface S3ListedObject {
  key: string;
  lastModified: string;
  etag: string;
  size: number;
  storageClass?: string;
  owner?: { id?: string; displayName?: string };
}

/** A ListObjectsV2 page: its objects and the token of the next page, if any. */
export function parseListPage(xml: string): { objects: S3ListedObject[]; next?: string } {
  const objects = [...xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)].map((m) => {
    const part = m[1] as string;
    const one = (tag: string) => xmlTags(part, tag)[0];
    const ownerId = one("ID");
    const ownerName = one("DisplayName");
    return {
      key: one("Key") ?? "",
      lastModified: one("LastModified") ?? "",
      etag: one("ETag") ?? "",
      size: Number(one("Size") ?? 0),
      ...(one("StorageClass") ? { storageClass: one("StorageClass") } : {}),
      ...(ownerId || ownerName
        ? { owner: { ...(ownerId ? { id: ownerId } : {}), ...(ownerName ? { displayName: ownerName } : {}) } }
        : {}),
    };
  });
  const truncated = xmlTags(xml, "IsTruncated")[0] === "true";
  const next = truncated ? xmlTags(xml, "NextContinuationToken")[0] : undefined;
  return { objects, ...(next ? { next } : {}) };
}
