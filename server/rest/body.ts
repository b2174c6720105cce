// Request bodies: size-limited reads, JSON validated with zod, YAML and text as they are, and execution
// inputs from multipart/form-data (files included), JSON or a URL-encoded form.
import { BadRequestError } from "../services/errors";
import type { BodyKind, InputsBody } from "./route";

/** Flow sources, JSON bodies, webhook payloads. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Uploads for FILE inputs, all files together. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit)
    throw new BadRequestError(`The body is larger than ${limit} bytes.`);
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
      throw new BadRequestError(`The body is larger than ${limit} bytes.`);
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

export async function readText(request: Request, limit = MAX_BODY_BYTES): Promise<string> {
  return new TextDecoder("utf-8").decode(await readLimited(request, limit));
}

function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

export async function readJson(request: Request, optional = false): Promise<unknown> {
  const text = await readText(request);
  if (text.trim() === "") {
    if (optional) return undefined;
    throw new BadRequestError("This request needs a JSON body.");
  }
  const type = mediaType(request);
  if (type && type !== "application/json" && !type.endsWith("+json"))
    throw new BadRequestError(`Send the body as application/json (got ${type}).`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequestError(`The body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Flow YAML: application/x-yaml (Kestra's), any yaml type, or text/plain. */
export async function readYaml(request: Request): Promise<string> {
  const type = mediaType(request);
  if (type && !/yaml|^text\/plain$|^application\/octet-stream$/.test(type))
    throw new BadRequestError(`Send the flow as YAML with Content-Type: application/x-yaml (got ${type}).`);
  const text = await readText(request);
  if (text.trim() === "") throw new BadRequestError("The body is empty: send the flow's YAML.");
  return text;
}

/** Execution inputs: multipart (FILE inputs as file parts), JSON object, or URL-encoded; empty means none. */
export async function readInputs(request: Request): Promise<InputsBody> {
  const type = mediaType(request);
  const empty: InputsBody = { values: {}, files: [] };
  if (type === "multipart/form-data" || type === "application/x-www-form-urlencoded") {
    const declared = Number(request.headers.get("content-length") ?? "NaN");
    if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES)
      throw new BadRequestError(`The upload is larger than ${MAX_UPLOAD_BYTES} bytes.`);
    let form: FormData;
    try {
      form = await request.formData();
    } catch (error) {
      throw new BadRequestError(`The form data could not be read: ${(error as Error).message}`);
    }
    const body: InputsBody = { values: {}, files: [] };
    let total = 0;
    for (const [name, value] of form.entries()) {
      if (typeof value === "string") body.values[name] = value;
      else {
        const content = new Uint8Array(await value.arrayBuffer());
        total += content.byteLength;
        if (total > MAX_UPLOAD_BYTES)
          throw new BadRequestError(`The upload is larger than ${MAX_UPLOAD_BYTES} bytes.`);
        body.files.push({ inputId: name, fileName: value.name || name, content });
      }
    }
    return body;
  }
  const text = await readText(request);
  if (text.trim() === "") return empty;
  if (type && type !== "application/json")
    throw new BadRequestError(
      `Send inputs as multipart/form-data, application/json or a URL-encoded form (got ${type}).`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BadRequestError(`The body is not valid JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw new BadRequestError('Inputs are a JSON object: { "inputName": value, ... }.');
  return { values: parsed as Record<string, unknown>, files: [] };
}

export async function readBody(request: Request, kind: BodyKind | undefined): Promise<unknown> {
  if (!kind) return undefined;
  switch (kind.kind) {
    case "json": {
      const value = await readJson(request, kind.optional);
      return value === undefined ? undefined : kind.schema.parse(value);
    }
    case "yaml":
      return readYaml(request);
    case "text":
      return readText(request);
    case "inputs":
    case "upload":
      return readInputs(request);
  }
}
