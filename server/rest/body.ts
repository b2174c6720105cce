// Request bodies: size-limited reads, JSON validated with zod, YAML and text as they are, and execution
// inputs from multipart/form-data (files included), JSON or a URL-encoded form. Every body is counted as it
// streams in (413 past the limit) and checked for NUL characters and JSON nesting (400) by input-limits.
import {
  type BodyLimits,
  checkFileName,
  checkText,
  checkValue,
  configuredLimits,
  parseJson,
  readLimited,
} from "../input-limits";
import { BadRequestError } from "../services/errors";
import type { BodyKind, InputsBody } from "./route";

export async function readText(request: Request, limit = configuredLimits().bodyBytes): Promise<string> {
  const text = new TextDecoder("utf-8").decode(await readLimited(request, limit));
  checkText(text, "The body");
  return text;
}

function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

export async function readJson(
  request: Request,
  optional = false,
  limits: BodyLimits = configuredLimits(),
): Promise<unknown> {
  const text = await readText(request, limits.bodyBytes);
  if (text.trim() === "") {
    if (optional) return undefined;
    throw new BadRequestError("This request needs a JSON body.");
  }
  const type = mediaType(request);
  if (type && type !== "application/json" && !type.endsWith("+json"))
    throw new BadRequestError(`Send the body as application/json (got ${type}).`);
  return parseJson(text, "The body");
}

/** Flow YAML: application/x-yaml (Kestra's), any yaml type, or text/plain. */
export async function readYaml(request: Request, limits: BodyLimits = configuredLimits()): Promise<string> {
  const type = mediaType(request);
  if (type && !/yaml|^text\/plain$|^application\/octet-stream$/.test(type))
    throw new BadRequestError(`Send the flow as YAML with Content-Type: application/x-yaml (got ${type}).`);
  const text = await readText(request, limits.bodyBytes);
  if (text.trim() === "") throw new BadRequestError("The body is empty: send the flow's YAML.");
  return text;
}

/** Execution inputs: multipart (FILE inputs as file parts), JSON object, or URL-encoded; empty means none. */
export async function readInputs(
  request: Request,
  limits: BodyLimits = configuredLimits(),
): Promise<InputsBody> {
  const type = mediaType(request);
  const empty: InputsBody = { values: {}, files: [] };
  if (type === "multipart/form-data" || type === "application/x-www-form-urlencoded") {
    // Counted as it streams in, then parsed from memory: Request.formData() would buffer any size first.
    const bytes = await readLimited(request, limits.uploadBytes, "CADENZA_MAX_UPLOAD_BYTES");
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(bytes), {
        headers: { "content-type": request.headers.get("content-type") ?? type },
      }).formData();
    } catch (error) {
      throw new BadRequestError(`The form data could not be read: ${(error as Error).message}`);
    }
    const body: InputsBody = { values: {}, files: [] };
    for (const [name, value] of form.entries()) {
      checkText(name, "A form field name");
      if (typeof value === "string") {
        checkText(value, `Input '${name}'`);
        body.values[name] = value;
      } else if (value.name === "" && value.size === 0) {
        // An untouched <input type="file">: browsers send an empty part with an empty name. No file given.
      } else {
        const content = new Uint8Array(await value.arrayBuffer());
        body.files.push({ inputId: name, fileName: checkFileName(value.name, name), content });
      }
    }
    return body;
  }
  const text = await readText(request, limits.bodyBytes);
  if (text.trim() === "") return empty;
  if (type && type !== "application/json")
    throw new BadRequestError(
      `Send inputs as multipart/form-data, application/json or a URL-encoded form (got ${type}).`,
    );
  const parsed = parseJson(text, "The body");
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw new BadRequestError('Inputs are a JSON object: { "inputName": value, ... }.');
  return { values: parsed as Record<string, unknown>, files: [] };
}

export async function readBody(
  request: Request,
  kind: BodyKind | undefined,
  limits: BodyLimits = configuredLimits(),
): Promise<unknown> {
  if (!kind) return undefined;
  switch (kind.kind) {
    case "json": {
      const value = await readJson(request, kind.optional, limits);
      return value === undefined ? undefined : kind.schema.parse(value);
    }
    case "yaml":
      return readYaml(request, limits);
    case "text":
      return readText(request, limits.bodyBytes);
    case "inputs":
    case "upload":
      return readInputs(request, limits);
  }
}

/** Path and query parameters: no NUL characters (a `%00` in the URL). */
export function checkParameters(values: Record<string, unknown>): void {
  checkValue(values, "The URL");
}
