"use client";
// The flow workbench: Monaco with the flow language's schema (completion, hover docs), the engine's own
// validation as squiggles, `{{ }}` completion and past-execution values, a live topology with the change
// overlay, the plugin docs of the task under the cursor, a slot for namespace files, and Save (button and
// Ctrl/Cmd-S) that refuses an invalid flow with its reasons. Loaded only by the editor (next/dynamic).
import Editor, { type OnMount } from "@monaco-editor/react";
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { isMap, isSeq, parseDocument, stringify } from "yaml";
import type { FlowGraph } from "@/engine/graph";
import { DateTime } from "../../../_components/date-time";
import { useFormatDate, usePreferences } from "../../../_components/preferences";
import { executionRow } from "../../../_lib/executions";
import { useTRPC, useTRPCClient } from "../../../_trpc/react";
import { DocsPanel } from "./docs-panel";
import {
  type Catalog,
  type ExpressionContext,
  installExpressionSupport,
  pluginOf,
  unknownTaskReferences,
} from "./expression-support";
import { changesSince, readFlowDoc, taskAt } from "./flow-doc";
import { FLOW_MODEL_PREFIX, type Monaco, setupMonaco } from "./monaco-setup";
import { PanelRow, PanelToggles, usePanelLayout } from "./panels";
import { Topology } from "./topology";
import { useLeaveGuard } from "./use-leave-guard";

/** Save errors listed above the editor; a broken indentation can give dozens, all underlined in it. */
const SHOWN_SAVE_ERRORS = 8;

type MonacoEditor = Parameters<OnMount>[0];

export interface FlowEditorProps {
  tenant: string;
  /** The saved flow; absent for a new one. */
  flow?: { namespace: string; id: string; revision: number };
  /** The YAML to start from (the saved revision's, or a template). */
  source: string;
  /** Why this person cannot save here (e.g. "needs FLOW:UPDATE on company.team"); absent when they can. */
  readOnlyReason?: string;
  /** The namespace-files panel, when there is one. */
  filesPanel?: ReactNode;
}

interface Problem {
  line: number;
  column: number;
  message: string;
  path?: string;
}

// Short enough that a squiggle and the topology follow a keystroke within 300 ms on a 200-task flow (bench/ui-editor.ts).
const VALIDATE_DELAY_MS = 150;

export default function FlowEditor({
  tenant,
  flow,
  source: initial,
  readOnlyReason,
  filesPanel,
}: FlowEditorProps) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const router = useRouter();
  const formatDate = useFormatDate();
  const { editorFontSize } = usePreferences();
  const readOnly = readOnlyReason !== undefined;
  const [monaco, setMonaco] = useState<Monaco>();
  const [source, setSource] = useState(initial);
  const [saved, setSaved] = useState(flow ? initial : "");
  const [problems, setProblems] = useState<{ errors: Problem[]; warnings: Problem[] }>({
    errors: [],
    warnings: [],
  });
  const [graph, setGraph] = useState<FlowGraph>();
  const [graphError, setGraphError] = useState<string>();
  const [saveState, setSaveState] = useState<{
    saving?: boolean;
    errors?: Problem[];
    message?: string;
    ok?: string;
  }>({});
  const [cursorTask, setCursorTask] = useState<{ id: string; type: string }>();
  const [executionId, setExecutionId] = useState("");
  const [layout, setLayout] = usePanelLayout();
  const editorRef = useRef<MonacoEditor | null>(null);
  const dirty = source !== saved;
  useLeaveGuard(dirty && !readOnly);

  useEffect(() => {
    let live = true;
    void setupMonaco().then((m) => live && setMonaco(m));
    return () => {
      live = false;
    };
  }, []);

  const catalog = useQuery({
    queryKey: ["editor-catalog"],
    queryFn: async () => (await fetch("/api/editor/catalog")).json() as Promise<Catalog>,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const doc = useMemo(() => readFlowDoc(source), [source]);
  const savedDoc = useMemo(() => (saved ? readFlowDoc(saved) : undefined), [saved]);
  const changes = useMemo(() => (savedDoc ? changesSince(savedDoc, doc) : new Map()), [savedDoc, doc]);
  const namespace = flow?.namespace ?? doc.namespace;
  const context = useQuery({
    ...trpc.flows.editorContext.queryOptions({ tenant, ...(namespace ? { namespace } : {}) }),
    enabled: Boolean(namespace && /^[a-z0-9][a-z0-9._-]*$/.test(namespace)),
  });
  const executions = useQuery({
    ...trpc.executions.search.queryOptions({
      tenant,
      namespace: flow?.namespace ?? "",
      flowId: flow?.id ?? "",
      page: 1,
      size: 25,
    }),
    enabled: Boolean(flow),
  });

  // The providers read the latest of everything through this ref (they are registered once).
  const expressionContext = useRef<ExpressionContext>({
    doc: () => doc,
    catalog: () => undefined,
    secrets: () => [],
    kvKeys: () => [],
  });
  expressionContext.current = {
    doc: () => doc,
    catalog: () => catalog.data,
    secrets: () => context.data?.secrets ?? [],
    kvKeys: () => context.data?.kvKeys ?? [],
    ...(executionId
      ? {
          preview: (expression: string) =>
            client.executions.previewExpression.query({ tenant, executionId, expression }),
        }
      : {}),
  };

  const modelPath = `${FLOW_MODEL_PREFIX}${flow ? `${flow.namespace}/${flow.id}` : "new"}.yaml`;
  useEffect(() => {
    if (!monaco) return;
    const installed = installExpressionSupport(
      monaco,
      monaco.Uri.parse(modelPath).toString(),
      expressionContext,
    );
    return () => installed.dispose();
  }, [monaco, modelPath]);

  // Validate and rebuild the graph a moment after typing stops; stale answers are dropped.
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      const validation = client.flows.validate
        .query({ tenant, source })
        .catch((error: Error) => [
          { valid: false, errors: [{ line: 1, column: 1, message: error.message, path: "" }], warnings: [] },
        ]);
      const graphQuery = client.flows.sourceGraph.query({ tenant, source }).catch(() => undefined);
      void validation.then((results) => {
        if (mine !== seq.current) return;
        const first = results[0];
        setProblems({ errors: first?.errors ?? [], warnings: first?.warnings ?? [] });
      });
      void graphQuery.then((next) => {
        if (mine !== seq.current) return;
        if (next) {
          // Most keystrokes leave the topology as it was: keep the same object, so nothing is laid out again.
          setGraph((current) =>
            current && JSON.stringify(current) === JSON.stringify(next) ? current : next,
          );
          setGraphError(undefined);
        } else setGraphError("Fix the errors marked in the code to update it.");
      });
    }, VALIDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [client, tenant, source]);

  // Engine errors and warnings, and unknown task references, as markers at their line and column.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!monaco || !model) return;
    const marker = (p: Problem, severity: number) => {
      const line = Math.min(Math.max(1, p.line), model.getLineCount());
      const column = Math.max(1, p.column);
      const word = model.getWordAtPosition({ lineNumber: line, column });
      const lineEnd = model.getLineMaxColumn(line);
      const endColumn = word && word.endColumn > column ? word.endColumn : Math.max(column + 1, lineEnd);
      return {
        severity,
        message: p.path ? `${p.path}: ${p.message}` : p.message,
        startLineNumber: line,
        startColumn: column,
        endLineNumber: line,
        endColumn,
        source: "cadenza",
      };
    };
    const references = unknownTaskReferences(model.getValue(), doc).map((r) => ({
      severity: monaco.MarkerSeverity.Warning,
      message: r.message,
      startLineNumber: r.line,
      startColumn: r.column,
      endLineNumber: r.line,
      endColumn: r.endColumn,
      source: "cadenza",
    }));
    monaco.editor.setModelMarkers(model, "cadenza", [
      ...problems.errors.map((p) => marker(p, monaco.MarkerSeverity.Error)),
      ...problems.warnings.map((p) => marker(p, monaco.MarkerSeverity.Warning)),
      ...references,
    ]);
  }, [monaco, problems, doc]);

  const save = useCallback(async () => {
    if (readOnly || saveState.saving) return;
    const text = editorRef.current?.getValue() ?? source;
    setSaveState({ saving: true });
    try {
      const [result] = await client.flows.validate.query({ tenant, source: text });
      if (!result?.valid) {
        setSaveState({ errors: result?.errors ?? [], message: "Not saved: the flow is invalid." });
        return;
      }
      if (flow) {
        const updated = await client.flows.update.mutate({
          tenant,
          namespace: flow.namespace,
          flowId: flow.id,
          source: text,
        });
        setSaved(text);
        setSaveState({ ok: `Saved as revision ${updated.revision}.` });
        router.refresh();
      } else {
        const created = await client.flows.create.mutate({ tenant, source: text });
        setSaved(text);
        setSaveState({ ok: `Created ${created.namespace}.${created.id}.` });
        router.replace(`/flows/${created.namespace}/${created.id}/edit`);
      }
    } catch (error) {
      const details = (error as { data?: { details?: unknown } }).data?.details;
      setSaveState({
        message: `Not saved: ${(error as Error).message}`,
        ...(Array.isArray(details) ? { errors: details as Problem[] } : {}),
      });
    }
  }, [client, flow, readOnly, router, saveState.saving, source, tenant]);
  const saveRef = useRef(save);
  saveRef.current = save;

  useEffect(() => {
    const key = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
        event.preventDefault();
        void saveRef.current();
      }
    };
    window.addEventListener("keydown", key);
    return () => window.removeEventListener("keydown", key);
  }, []);

  const onMount: OnMount = (editor, m) => {
    editorRef.current = editor;
    editor.addCommand(m.KeyMod.CtrlCmd | m.KeyCode.KeyS, () => void saveRef.current());
    editor.onDidChangeCursorPosition((event) => {
      const model = editor.getModel();
      if (!model) return;
      const found = taskAt(readFlowDoc(model.getValue()), model.getOffsetAt(event.position));
      setCursorTask((current) =>
        found
          ? current?.id === found.id && current.type === found.type
            ? current
            : { id: found.id, type: found.type }
          : undefined,
      );
    });
  };

  const goToTask = (taskId: string) => {
    const editor = editorRef.current;
    const task = readFlowDoc(editor?.getValue() ?? source).tasks.find((t) => t.id === taskId);
    if (!editor || !task) return;
    editor.revealLineInCenter(task.line);
    editor.setPosition({
      lineNumber: task.line,
      column: editor.getModel()?.getLineMaxColumn(task.line) ?? 1,
    });
    editor.focus();
  };

  const insertExample = (exampleFlow: string) => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    const _pastExecutions = (executions.data?.results ?? []).map(executionRow);
    const plugin = cursorTask ? pluginOf(catalog.data, cursorTask.type) : undefined;
    if (!editor || !model || !plugin) return;
    const example = findExampleTask(exampleFlow, plugin.names);
    if (!example) return;
    const current = readFlowDoc(model.getValue());
    const here = current.tasks.find((t) => t.id === cursorTask?.id);
    if (!here) return;
    const end = model.getPositionAt(here.end);
    const dashLine = model.getLineContent(here.line);
    const indent = /^(\s*)/.exec(dashLine)?.[1]?.length ?? 0;
    const dashIndent = dashLine.trimStart().startsWith("-") ? indent : Math.max(0, indent - 2);
    const text = stringify([example.task])
      .trimEnd()
      .split("\n")
      .map((line) => " ".repeat(dashIndent) + line)
      .join("\n");
    const atLineStart = end.column === 1;
    editor.executeEdits("insert-example", [
      {
        range: {
          startLineNumber: end.lineNumber,
          startColumn: end.column,
          endLineNumber: end.lineNumber,
          endColumn: end.column,
        },
        text: atLineStart ? `${text}\n` : `\n${text}`,
      },
    ]);
    editor.focus();
  };

  const pastExecutions = (executions.data?.results ?? []).map(executionRow);
  const plugin = cursorTask ? pluginOf(catalog.data, cursorTask.type) : undefined;
  const errorCount = problems.errors.length;
  const warningCount = problems.warnings.length;

  return (
    <div className="flex h-[calc(100vh-12rem)] min-h-[480px] flex-col overflow-hidden rounded-xl border border-zinc-200 dark:border-zinc-800">
      <div className="flex flex-wrap items-center gap-2 border-b border-zinc-200 bg-zinc-50 px-3 py-1.5 text-sm dark:border-zinc-800 dark:bg-zinc-900">
        <PanelToggles
          layout={layout}
          onChange={setLayout}
          available={filesPanel ? ["code", "topology", "docs", "files"] : ["code", "topology", "docs"]}
        />
        <span className="text-xs text-zinc-500" aria-live="polite" data-testid="validation-summary">
          {errorCount === 0 && warningCount === 0
            ? "Valid"
            : `${errorCount} error${errorCount === 1 ? "" : "s"}${warningCount ? `, ${warningCount} warning${warningCount === 1 ? "" : "s"}` : ""}`}
        </span>
        {flow ? (
          <label className="ml-2 flex items-center gap-1 text-xs text-zinc-600 dark:text-zinc-400">
            Values from
            <select
              className="rounded border border-zinc-300 bg-white px-1 py-0.5 text-xs dark:border-zinc-700 dark:bg-zinc-950"
              value={executionId}
              onChange={(event) => setExecutionId(event.target.value)}
              aria-label="Values from a past execution"
            >
              <option value="">no execution</option>
              {pastExecutions.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.state} · {e.id.slice(0, 8)} · {formatDate(e.startDate)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <span className="ml-auto" />
        {readOnly ? (
          <span
            className="rounded bg-zinc-200 px-2 py-0.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
            data-testid="read-only"
          >
            Read-only: {readOnlyReason}
          </span>
        ) : (
          <>
            {dirty ? (
              <span className="text-xs font-medium text-amber-700 dark:text-amber-300" data-testid="unsaved">
                ● Unsaved changes
              </span>
            ) : saveState.ok ? (
              <span className="text-xs text-emerald-700 dark:text-emerald-300">{saveState.ok}</span>
            ) : null}
            <button
              type="button"
              onClick={() => void save()}
              disabled={saveState.saving}
              title="Save (Ctrl/Cmd-S)"
              className="rounded-md bg-brand-600 px-3 py-1 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
            >
              {saveState.saving ? "Saving…" : "Save"}
            </button>
          </>
        )}
      </div>
      {saveState.message ? (
        <div
          role="alert"
          className="border-b border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200"
        >
          <div className="flex items-start justify-between gap-2">
            <strong>{saveState.message}</strong>
            <button type="button" className="text-xs underline" onClick={() => setSaveState({})}>
              Dismiss
            </button>
          </div>
          {saveState.errors?.length ? (
            <ul className="mt-1 list-disc pl-5 text-xs">
              {saveState.errors.slice(0, SHOWN_SAVE_ERRORS).map((e) => (
                <li key={`${e.line}:${e.column}:${e.message}`}>
                  <button
                    type="button"
                    className="text-left hover:underline"
                    onClick={() => {
                      editorRef.current?.revealLineInCenter(e.line);
                      editorRef.current?.setPosition({ lineNumber: e.line, column: e.column });
                      editorRef.current?.focus();
                    }}
                  >
                    line {e.line}, column {e.column}: {e.path ? `${e.path}: ` : ""}
                    {e.message}
                  </button>
                </li>
              ))}
              {saveState.errors.length > SHOWN_SAVE_ERRORS ? (
                <li className="list-none">
                  and {saveState.errors.length - SHOWN_SAVE_ERRORS} more, each underlined in the editor
                </li>
              ) : null}
            </ul>
          ) : null}
        </div>
      ) : null}
      <PanelRow
        layout={layout}
        onChange={setLayout}
        panels={{
          code: (
            <div className="h-full" data-testid="code-editor">
              {monaco ? (
                <Editor
                  path={modelPath}
                  defaultLanguage="yaml"
                  defaultValue={initial}
                  onChange={(value) => setSource(value ?? "")}
                  onMount={onMount}
                  options={{
                    readOnly,
                    domReadOnly: readOnly,
                    minimap: { enabled: false },
                    fontSize: editorFontSize,
                    tabSize: 2,
                    scrollBeyondLastLine: false,
                    automaticLayout: true,
                    quickSuggestions: { other: true, comments: false, strings: true },
                    renderValidationDecorations: "on",
                    fixedOverflowWidgets: true,
                  }}
                />
              ) : (
                <p className="p-4 text-sm text-zinc-500">Loading the editor…</p>
              )}
            </div>
          ),
          topology: (
            <Topology
              graph={graph}
              changes={changes}
              {...(graphError ? { error: graphError } : {})}
              onTaskClick={goToTask}
            />
          ),
          docs: (
            <DocsPanel
              plugin={plugin}
              {...(cursorTask ? { taskId: cursorTask.id } : {})}
              onInsert={insertExample}
              readOnly={readOnly}
            />
          ),
          ...(filesPanel ? { files: filesPanel } : {}),
        }}
      />
      {flow ? (
        <div className="border-t border-zinc-200 px-3 py-1 text-[11px] text-zinc-500 dark:border-zinc-800">
          {flow.namespace}.{flow.id} · revision {flow.revision}
          {executionId ? (
            <>
              {" "}
              · hover an expression to see what it rendered to in execution {executionId.slice(0, 8)} (
              <DateTime iso={pastExecutions.find((e) => e.id === executionId)?.startDate} />)
            </>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** The first task or trigger of an example flow whose type is one of `names`. */
function findExampleTask(flowText: string, names: string[]): { task: unknown } | undefined {
  const doc = parseDocument(flowText);
  let found: unknown;
  const visit = (node: unknown) => {
    if (found) return;
    if (isSeq(node)) for (const item of node.items) visit(item);
    else if (isMap(node)) {
      const type = node.get("type");
      if (typeof type === "string" && names.includes(type)) {
        found = node.toJSON();
        return;
      }
      for (const pair of node.items) visit(pair.value);
    }
  };
  visit(doc.contents);
  return found ? { task: found } : undefined;
}
