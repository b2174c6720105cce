// Plugin docs, outputs and examples, and the expression language's filters and functions, for the
// editor's docs panel and `{{ }}` completion. Depends only on the build: rendered once, cached.
import { editorCatalog } from "@/server/services/editor-catalog";

export const dynamic = "force-static";

export function GET() {
  return Response.json(editorCatalog(), { headers: { "cache-control": "public, max-age=3600" } });
}
