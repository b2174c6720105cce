// Monaco from our own build (no CDN): @monaco-editor/react is pointed at the bundled monaco-editor, and the
// editor's and monaco-yaml's workers are bundled by Turbopack from `new URL(..., import.meta.url)`.
// monaco-yaml gets the flow language's JSON Schema (served by /api/editor/schema) for completion of types,
// properties, enum values and defaults, and hover docs. Its own validation is off: the engine validates,
// with its own messages (see use-validation.ts), so a person sees exactly what a save would say.
import { loader } from "@monaco-editor/react";
import * as monaco from "monaco-editor";
import { configureMonacoYaml } from "monaco-yaml";

export type Monaco = typeof monaco;

declare global {
  interface Window {
    MonacoEnvironment?: monaco.Environment;
  }
}

let ready: Promise<Monaco> | undefined;

export const FLOW_MODEL_PREFIX = "file:///flows/";

export function setupMonaco(): Promise<Monaco> {
  ready ??= (async () => {
    window.MonacoEnvironment = {
      getWorker(_id: string, label: string) {
        if (label === "yaml")
          return new Worker(new URL("monaco-yaml/yaml.worker", import.meta.url), { type: "module" });
        return new Worker(new URL("monaco-editor/esm/vs/editor/editor.worker", import.meta.url), {
          type: "module",
        });
      },
    };
    loader.config({ monaco });
    const response = await fetch("/api/editor/schema");
    const schema = response.ok ? await response.json() : undefined;
    configureMonacoYaml(monaco, {
      enableSchemaRequest: false,
      validate: false,
      completion: true,
      hover: true,
      format: { enable: false },
      schemas: schema
        ? [{ uri: "https://cadenza.dev/schemas/flow.json", fileMatch: [`${FLOW_MODEL_PREFIX}*`], schema }]
        : [],
    });
    await loader.init();
    return monaco;
  })();
  return ready;
}
