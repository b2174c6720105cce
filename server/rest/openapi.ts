// The OpenAPI 3.1 document of the REST API, generated from the route table: the same zod schemas that
// validate requests become its parameter and body schemas (zod 4's z.toJSONSchema, draft 2020-12, which
// OpenAPI 3.1 uses as is).
import { z } from "zod";
import { errorBody } from "../services/schemas";
import { version } from "../version";
import { type AnyRoute, methodsOf } from "./route";

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: "input" | "output"): Json {
  const json = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    reused: "inline",
  }) as Json;
  delete json.$schema;
  return json;
}

function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> {
  if (!schema) return {};
  const def = (schema as unknown as { def?: { shape?: Record<string, z.ZodType>; type?: string } }).def;
  return def?.shape ?? {};
}

function isOptional(schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success;
}

function parameters(route: AnyRoute): Json[] {
  const out: Json[] = [
    {
      name: "tenant",
      in: "path",
      required: true,
      schema: { type: "string" },
      description: "Tenant slug, e.g. `main`.",
    },
  ];
  for (const [name, schema] of Object.entries(objectShape(route.params)))
    out.push({ name, in: "path", required: true, schema: schemaOf(schema, "input") });
  for (const [name, schema] of Object.entries(objectShape(route.query))) {
    const json = schemaOf(schema, "input");
    const description = json.description;
    delete json.description;
    out.push({
      name,
      in: "query",
      required: !isOptional(schema),
      schema: json,
      ...(description ? { description } : {}),
      ...(json.type === "array" ? { explode: true, style: "form" } : {}),
    });
  }
  return out;
}

function requestBody(route: AnyRoute): Json | undefined {
  const body = route.body;
  if (!body) return undefined;
  switch (body.kind) {
    case "json":
      return {
        required: !body.optional,
        content: { "application/json": { schema: schemaOf(body.schema, "input") } },
      };
    case "yaml":
      return {
        required: true,
        content: { "application/x-yaml": { schema: { type: "string", description: "Flow YAML." } } },
      };
    case "text":
      return {
        required: false,
        content: { "text/plain": { schema: { type: "string" } }, "application/json": { schema: {} } },
      };
    case "inputs":
      return {
        required: false,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              additionalProperties: {
                oneOf: [{ type: "string" }, { type: "string", contentMediaType: "application/octet-stream" }],
              },
              description: "One field per input; FILE inputs as file parts.",
            },
          },
          "application/json": { schema: { type: "object", additionalProperties: true } },
          "application/x-www-form-urlencoded": {
            schema: { type: "object", additionalProperties: { type: "string" } },
          },
        },
      };
    case "upload":
      return {
        required: true,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              properties: Object.fromEntries(
                Object.entries(body.parts).map(([name, description]) => [
                  name,
                  { type: "string", contentMediaType: "application/octet-stream", description },
                ]),
              ),
            },
          },
        },
      };
  }
}

const errorRef = { $ref: "#/components/schemas/Error" };
const STANDARD_ERRORS: Record<string, string> = {
  "400": "Malformed request (parameters, query or body).",
  "401": "No valid credentials: missing, invalid, expired or revoked token.",
  "403": "Signed in, but without the permission this needs.",
  "404": "Not found — also what a tenant you cannot see looks like.",
};

function responses(route: AnyRoute): Json {
  const out: Json = {};
  for (const response of route.responses) {
    const contentType = response.contentType ?? "application/json";
    out[String(response.status)] = {
      description: response.description,
      ...(response.schema || response.status !== 204
        ? {
            content: {
              [contentType]: { schema: response.schema ? schemaOf(response.schema, "output") : {} },
            },
          }
        : {}),
    };
  }
  for (const [status, description] of Object.entries(STANDARD_ERRORS)) {
    if (route.auth === "webhook" && (status === "401" || status === "403")) continue;
    out[status] ??= { description, content: { "application/json": { schema: errorRef } } };
  }
  if (route.body)
    out["422"] ??= {
      description: "Invalid content (e.g. a flow that does not validate).",
      content: { "application/json": { schema: errorRef } },
    };
  return out;
}

/**
 * The audit entry the route's operation writes, from its declaration in the operation table: an
 * `x-cadenza-audit` extension and a line of the description, so the docs say it as the service does it.
 */
function auditOf(route: AnyRoute): Json {
  const declared = route.operation?.audit;
  if (!declared) return {};
  if (declared.none !== undefined)
    return {
      description: `Audit log: no entry (${declared.none}).`,
      "x-cadenza-audit": { none: declared.none },
    };
  const { resourceType, actions } = declared;
  return {
    description: `Audit log: writes a ${resourceType} entry (${actions.join(" or ")}).`,
    "x-cadenza-audit": { resourceType, actions: [...actions] },
  };
}

function operationId(route: AnyRoute, method: string): string {
  const words = route.path
    .split("/")
    .filter(Boolean)
    .map((segment) => segment.replace(/[{}]/g, "").replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()));
  return [method.toLowerCase(), ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1))].join("");
}

export function openApiDocument(routes: readonly AnyRoute[]): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = `/api/v1/{tenant}${route.path}`;
    paths[path] ??= {};
    for (const method of methodsOf(route)) {
      const body = requestBody(route);
      (paths[path] as Json)[method.toLowerCase()] = {
        operationId: operationId(route, method),
        summary: route.summary,
        ...auditOf(route),
        tags: [route.tag],
        parameters: parameters(route),
        ...(body ? { requestBody: body } : {}),
        responses: responses(route),
        ...(route.auth === "webhook" ? { security: [] } : {}),
      };
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Cadenza API",
      version,
      description:
        "Kestra-compatible REST API, tenant-scoped: /api/v1/{tenant}/... . Authenticate with `Authorization: Bearer cdz_...` " +
        "(an API token) or a signed-in session. Errors are JSON { message, details? }.",
    },
    servers: [{ url: "/" }],
    security: [{ bearerAuth: [] }, { session: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "cdz_ token" },
        session: { type: "apiKey", in: "cookie", name: "authjs.session-token" },
      },
      schemas: { Error: schemaOf(errorBody, "output") },
    },
  };
}
