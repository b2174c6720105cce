// The flow language's JSON Schema for the editor's monaco-yaml (the same as `cadenza plugins schema`).
// It depends only on the build, so it is rendered at build time and cached by the browser.
import { flowSchemaText } from "@/server/services/editor-catalog";

export const dynamic = "force-static";

export function GET() {
  return new Response(flowSchemaText(), {
    headers: { "content-type": "application/json", "cache-control": "public, max-age=3600" },
  });
}
