// Prints each REST operation's parameters from the generated OpenAPI document, one line per parameter, so
// two versions of the route table can be diffed (what a change to the wire schemas did to the API's docs).
// Usage: npx tsx scripts/openapi-parameters.ts > before.txt
import { openApiDocument } from "@/server/rest/openapi";
import { routes } from "@/server/rest/routes";

type Parameter = { name: string; in: string; required: boolean; schema: unknown; description?: string };
const document = openApiDocument(routes) as {
  paths: Record<string, Record<string, { parameters: Parameter[] }>>;
};
for (const [path, methods] of Object.entries(document.paths).sort(([a], [b]) => a.localeCompare(b)))
  for (const [method, operation] of Object.entries(methods).sort(([a], [b]) => a.localeCompare(b)))
    for (const parameter of operation.parameters) {
      const { name, in: where, required, schema, description } = parameter;
      const extra = description ? ` -- ${description}` : "";
      console.log(
        `${method.toUpperCase()} ${path} ${where}:${name}${required ? "" : "?"} ${JSON.stringify(schema)}${extra}`,
      );
    }
