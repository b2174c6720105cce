"use client";
// The docs of the plugin under the cursor: its generated page (properties, defaults, outputs — the same
// Markdown as `cadenza plugins docs`) and its examples, each with an Insert button.
import { Markdown } from "../../../_components/markdown";
import type { CatalogPlugin } from "./expression-support";

export function DocsPanel({
  plugin,
  taskId,
  onInsert,
  readOnly,
}: {
  plugin: CatalogPlugin | undefined;
  taskId?: string;
  onInsert: (exampleFlow: string) => void;
  readOnly: boolean;
}) {
  return (
    <div className="flex h-full flex-col" data-testid="docs-panel">
      <div className="border-b border-zinc-200 px-2 py-1 text-xs font-medium text-zinc-600 dark:border-zinc-800 dark:text-zinc-300">
        Documentation{plugin ? `: ${plugin.type}` : ""}
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto px-3 py-2">
        {plugin ? (
          <>
            {taskId ? <p className="mb-2 text-xs text-zinc-500">Task under the cursor: {taskId}</p> : null}
            {plugin.deprecated ? (
              <p className="mb-2 rounded bg-amber-50 px-2 py-1 text-xs text-amber-800 dark:bg-amber-950 dark:text-amber-200">
                Deprecated: {plugin.deprecated}
              </p>
            ) : null}
            <Markdown source={plugin.markdown.replace(/\n## Examples[\s\S]*$/, "")} />
            {plugin.examples.length ? <h3 className="mt-4 text-sm font-semibold">Examples</h3> : null}
            {plugin.examples.map((example) => (
              <div key={example.title} className="mt-2 rounded border border-zinc-200 dark:border-zinc-700">
                <div className="flex items-center justify-between border-b border-zinc-200 px-2 py-1 text-xs dark:border-zinc-700">
                  <span className="font-medium">{example.title}</span>
                  {readOnly ? null : (
                    <button
                      type="button"
                      className="rounded bg-brand-600 px-2 py-0.5 text-white hover:bg-brand-700"
                      onClick={() => onInsert(example.flow)}
                    >
                      Insert
                    </button>
                  )}
                </div>
                <pre className="overflow-x-auto p-2 font-mono text-[11px] leading-snug">{example.flow}</pre>
              </div>
            ))}
          </>
        ) : (
          <p className="text-sm text-zinc-500">
            Put the cursor in a task or trigger to see its plugin&apos;s documentation: properties, defaults,
            outputs and examples.
          </p>
        )}
      </div>
    </div>
  );
}
