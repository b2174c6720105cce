// Hostile input at the web boundary, refused before any of it is used: bodies beyond the size limits
// (counted as they stream in, so a chunked body without Content-Length is cut off at the limit too),
// JSON nested deeper than anything downstream can walk without overflowing the stack, and NUL characters,
// which PostgreSQL cannot store in text or jsonb. REST (server/rest/body.ts) and tRPC (server/api) share it.
import { env } from "./env";
import { BadRequestError, PayloadTooLargeError } from "./services/errors";

export interface BodyLimits {
  /** JSON, YAML and text bodies (CADENZA_MAX_BODY_BYTES). */
  bodyBytes: number;
  /** Uploads: a multipart or URL-encoded form, files included (CADENZA_MAX_UPLOAD_BYTES). */
  uploadBytes: number;
  /** What a flow import's zip may unpack to (CADENZA_MAX_IMPORT_BYTES); default the configured one. */
  importBytes?: number;
}

export function configuredLimits(): BodyLimits {
  return {
    bodyBytes: env.CADENZA_MAX_BODY_BYTES,
    uploadBytes: env.CADENZA_MAX_UPLOAD_BYTES,
    importBytes: env.CADENZA_MAX_IMPORT_BYTES,
  };
}

/** Which setting each limit comes from, named in the 413 so an operator knows what to raise. */
export type LimitSetting = "CADENZA_MAX_BODY_BYTES" | "CADENZA_MAX_UPLOAD_BYTES" | "CADENZA_MAX_IMPORT_BYTES";

/** `1536` -> "1.5 KiB": the limit as a person reads it, beside the exact bytes. */
function humanBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${Number(value.toFixed(1))} ${units[unit]}`;
}

/** The 413 for `what` past `limit` bytes: a JSON message saying the limit, and `details` with it. */
export function tooLarge(
  limit: number,
  setting: LimitSetting = "CADENZA_MAX_BODY_BYTES",
  what = "The body",
): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `${what} is larger than ${limit} bytes (${humanBytes(limit)}), the server's limit (${setting}).`,
    { limitBytes: limit, setting },
  );
}

/**
 * The deepest nesting accepted in a JSON value. Not a setting: it protects recursive code (zod, superjson,
 * JSON.stringify, Prisma) from overflowing the stack, and no flow input or API body comes close to it.
 */
export const MAX_JSON_DEPTH = 256;

/** A body larger than the limit, by its Content-Length, before reading any of it. */
export function checkDeclaredLength(
  headers: Headers,
  limit: number,
  setting: LimitSetting = "CADENZA_MAX_BODY_BYTES",
): void {
  const declared = Number(headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit, setting);
}

/** Reads a body whole, stopping (and cancelling the stream) as soon as it passes the limit. */
export async function readLimited(
  request: Request,
  limit: number,
  setting: LimitSetting = "CADENZA_MAX_BODY_BYTES",
): Promise<Uint8Array> {
  checkDeclaredLength(request.headers, limit, setting);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit, setting);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * The body as a stream that errors with `error()` once more than `limit` bytes went through (for handlers
 * that read the body themselves, like tRPC's fetch adapter).
 */
export function limitedStream(
  body: ReadableStream<Uint8Array>,
  limit: number,
  error: () => Error,
): ReadableStream<Uint8Array> {
  let total = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (total > limit) controller.error(error());
        else controller.enqueue(chunk);
      },
    }),
  );
}

const NUL = "\u0000";

function nulMessage(where: string): string {
  return `${where} contains a NUL character (\\u0000), which cannot be stored.`;
}

/** Refuses a string holding a NUL character. */
export function checkText(text: string, where: string): void {
  if (text.includes(NUL)) throw new BadRequestError(nulMessage(where));
}

/**
 * Refuses a parsed value nested deeper than MAX_JSON_DEPTH or holding a NUL character in any key or string.
 * Iterative, so that the check itself cannot overflow the stack.
 */
export function checkValue(value: unknown, where: string): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current === "string") {
      if (current.includes(NUL)) throw new BadRequestError(nulMessage(where));
      continue;
    }
    if (current === null || typeof current !== "object" || current instanceof Uint8Array) continue;
    if (depth >= MAX_JSON_DEPTH)
      throw new BadRequestError(`${where} is nested more than ${MAX_JSON_DEPTH} levels deep.`);
    if (Array.isArray(current)) {
      for (const item of current) stack.push([item, depth + 1]);
      continue;
    }
    for (const [key, item] of Object.entries(current)) {
      if (key.includes(NUL)) throw new BadRequestError(nulMessage(where));
      stack.push([item, depth + 1]);
    }
  }
}

/** Parses JSON text and checks the result (depth, NUL characters) before anything walks it recursively. */
export function parseJson(text: string, where: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BadRequestError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  checkValue(parsed, where);
  return parsed;
}

/**
 * An uploaded file's name, kept as the last part of the name a client gave: refused when it is empty
 * after trimming, `.` or `..`, or holds a path separator or a NUL character.
 */
export function checkFileName(name: string, input: string): string {
  if (name.trim() === "" || name === "." || name === ".." || name.includes("/") || name.includes(NUL))
    throw new BadRequestError(
      `The file for input '${input}' has an invalid name (${JSON.stringify(name)}): give a plain file name.`,
    );
  return name;
}

/**
 * Why a request target cannot be served, before any router sees it: a path whose percent-encoding does not
 * decode (`/api/v1/t/flows/%E0%A4%A`). Next's own router answers those by rendering an error page, which
 * the app router does not have: a 500. Undefined when the path is fine.
 */
export function malformedTarget(target: string): string | undefined {
  const path = target.split(/[?#]/, 1)[0] ?? "";
  try {
    decodeURIComponent(path);
    return undefined;
  } catch {
    return "The path is not valid percent-encoding.";
  }
}
