// Inside `{{ }}`: completion of the expression context (inputs, outputs.<task>.<output>, vars, flow,
// execution, labels, trigger, taskrun), secret names after `secret('`, KV keys after `kv('`, filters after
// `|` and functions; a hover that shows what an expression rendered to in a chosen past execution; and a
// warning squiggle on `outputs.<id>` naming no task of the flow.
import type * as monacoNs from "monaco-editor";
import type { FlowDoc } from "./flow-doc";
import type { Monaco } from "./monaco-setup";

export interface CatalogPlugin {
  type: string;
  names: string[];
  kind: string;
  title: string;
  deprecated?: string;
  markdown: string;
  outputs: string[];
  examples: { title: string; flow: string }[];
}

export interface Catalog {
  plugins: CatalogPlugin[];
  filters: string[];
  functions: string[];
}

export interface ExpressionContext {
  doc: () => FlowDoc;
  catalog: () => Catalog | undefined;
  secrets: () => string[];
  kvKeys: () => string[];
  /** What `{{ expression }}` rendered to in the chosen execution; undefined when none is chosen. */
  preview?: (expression: string) => Promise<{ value?: string; error?: string } | undefined>;
}

const ROOT = [
  "inputs",
  "outputs",
  "vars",
  "flow",
  "execution",
  "labels",
  "trigger",
  "taskrun",
  "task",
  "parent",
  "parents",
  "envs",
  "globals",
];
const FLOW_KEYS = ["id", "namespace", "revision", "tenantId"];
const EXECUTION_KEYS = ["id", "startDate", "originalId", "state", "outputs"];
const TRIGGER_KEYS = [
  "date",
  "next",
  "previous",
  "executionId",
  "namespace",
  "flowId",
  "flowRevision",
  "state",
  "body",
  "headers",
  "parameters",
];
const TASKRUN_KEYS = ["id", "startDate", "attemptsCount", "parentId", "value", "iteration"];

/** The `{{ ... ` before the cursor on this line, when the cursor is inside one. */
export function openExpression(linePrefix: string): string | undefined {
  const open = linePrefix.lastIndexOf("{{");
  if (open < 0) return undefined;
  const close = linePrefix.lastIndexOf("}}");
  if (close > open) return undefined;
  return linePrefix.slice(open + 2);
}

export function pluginOf(catalog: Catalog | undefined, type: string): CatalogPlugin | undefined {
  return catalog?.plugins.find((p) => p.names.includes(type));
}

/** Completion labels for the expression text before the cursor, and the kind of thing they are. */
export function expressionSuggestions(
  expression: string,
  context: Pick<ExpressionContext, "doc" | "catalog" | "secrets" | "kvKeys">,
): { labels: string[]; kind: "property" | "function" | "filter" | "value" } | undefined {
  let m = /secret\(\s*['"]([\w.-]*)$/.exec(expression);
  if (m) return { labels: context.secrets(), kind: "value" };
  m = /kv\(\s*['"]([\w./-]*)$/.exec(expression);
  if (m) return { labels: context.kvKeys(), kind: "value" };
  m = /\|\s*(\w*)$/.exec(expression);
  if (m) return { labels: context.catalog()?.filters ?? [], kind: "filter" };
  const doc = context.doc();
  m = /\boutputs\.([\w-]+)\.(\w*)$/.exec(expression);
  if (m) {
    const task = doc.tasks.find((t) => t.id === m?.[1] && !t.trigger);
    return { labels: task ? (pluginOf(context.catalog(), task.type)?.outputs ?? []) : [], kind: "property" };
  }
  const member: [RegExp, () => string[]][] = [
    [/\boutputs\.(\w*)$/, () => doc.tasks.filter((t) => !t.trigger).map((t) => t.id)],
    [/\binputs\.(\w*)$/, () => doc.inputs],
    [/\bvars\.(\w*)$/, () => doc.vars],
    [/\bflow\.(\w*)$/, () => FLOW_KEYS],
    [/\bexecution\.(\w*)$/, () => EXECUTION_KEYS],
    [/\blabels\.(\w*)$/, () => doc.labels],
    [/\btrigger\.(\w*)$/, () => TRIGGER_KEYS],
    [/\btaskrun\.(\w*)$/, () => TASKRUN_KEYS],
  ];
  for (const [pattern, labels] of member)
    if (pattern.test(expression)) return { labels: labels(), kind: "property" };
  if (/\.\w*$/.test(expression)) return undefined;
  if (/(^|[\s(,+\-*/~?:!=<>[])(\w*)$/.test(expression))
    return { labels: [...ROOT, ...(context.catalog()?.functions ?? [])], kind: "function" };
  return undefined;
}

/** `outputs.<id>` naming no task of the flow, as warnings (1-based lines and columns). */
export function unknownTaskReferences(text: string, doc: FlowDoc) {
  const ids = new Set(doc.tasks.filter((t) => !t.trigger).map((t) => t.id));
  const found: { line: number; column: number; endColumn: number; message: string }[] = [];
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    for (const block of line.matchAll(/\{\{(.*?)(\}\}|$)/g)) {
      const start = (block.index ?? 0) + 2;
      for (const ref of (block[1] ?? "").matchAll(/\boutputs\.([A-Za-z0-9_-]+)/g)) {
        const id = ref[1] as string;
        if (ids.has(id)) continue;
        const column = start + (ref.index ?? 0) + "outputs.".length + 1;
        found.push({
          line: index + 1,
          column,
          endColumn: column + id.length,
          message: `No task '${id}' in this flow: outputs.${id} will not exist.`,
        });
      }
    }
  });
  return found;
}

export function installExpressionSupport(
  monaco: Monaco,
  modelUri: string,
  context: { current: ExpressionContext },
) {
  const inModel = (model: monacoNs.editor.ITextModel) => model.uri.toString() === modelUri;
  const completion = monaco.languages.registerCompletionItemProvider("yaml", {
    triggerCharacters: [".", "(", "'", '"', "|", "{", " "],
    provideCompletionItems(model, position) {
      if (!inModel(model)) return { suggestions: [] };
      const prefix = model.getValueInRange({
        startLineNumber: position.lineNumber,
        startColumn: 1,
        endLineNumber: position.lineNumber,
        endColumn: position.column,
      });
      const expression = openExpression(prefix);
      if (expression === undefined) return { suggestions: [] };
      const found = expressionSuggestions(expression, context.current);
      if (!found) return { suggestions: [] };
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(
        position.lineNumber,
        word.startColumn,
        position.lineNumber,
        word.endColumn,
      );
      const kind = {
        property: monaco.languages.CompletionItemKind.Property,
        function: monaco.languages.CompletionItemKind.Function,
        filter: monaco.languages.CompletionItemKind.Method,
        value: monaco.languages.CompletionItemKind.Value,
      }[found.kind];
      return {
        suggestions: [...new Set(found.labels)].map((label, i) => ({
          label,
          kind,
          insertText: label,
          range,
          sortText: String(i).padStart(4, "0"),
        })),
      };
    },
  });
  const hover = monaco.languages.registerHoverProvider("yaml", {
    async provideHover(model, position) {
      if (!inModel(model) || !context.current.preview) return null;
      const line = model.getLineContent(position.lineNumber);
      for (const block of line.matchAll(/\{\{.*?\}\}/g)) {
        const from = (block.index ?? 0) + 1;
        const to = from + block[0].length;
        if (position.column < from || position.column > to) continue;
        const result = await context.current.preview(block[0]);
        if (!result) return null;
        return {
          range: new monaco.Range(position.lineNumber, from, position.lineNumber, to),
          contents: [
            { value: "**In the chosen execution**" },
            {
              value: result.error
                ? `Could not render: ${result.error}`
                : `\`\`\`\n${result.value ?? ""}\n\`\`\``,
            },
          ],
        };
      }
      return null;
    },
  });
  return {
    dispose: () => {
      completion.dispose();
      hover.dispose();
    },
  };
}
