// Monaco from the local package, never from a CDN (the default of @monaco-editor/react): the editor and its
// workers are bundled by Next. Imported only by the client-only editor (next/dynamic, ssr: false).
import { loader } from "@monaco-editor/react";
import * as monaco from "monaco-editor";

type WorkerFactory = { getWorker(workerId: string, label: string): Worker };

const scope = globalThis as typeof globalThis & { MonacoEnvironment?: WorkerFactory };
// Another editor (the flow editor with monaco-yaml) may have set its own workers first: keep them.
scope.MonacoEnvironment ??= {
  getWorker(_id, label) {
    if (label === "json")
      return new Worker(new URL("monaco-editor/esm/vs/language/json/json.worker.js", import.meta.url), {
        type: "module",
      });
    if (label === "typescript" || label === "javascript")
      return new Worker(new URL("monaco-editor/esm/vs/language/typescript/ts.worker.js", import.meta.url), {
        type: "module",
      });
    return new Worker(new URL("monaco-editor/esm/vs/editor/editor.worker.js", import.meta.url), {
      type: "module",
    });
  },
};

loader.config({ monaco });

export { monaco };
