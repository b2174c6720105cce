"use client";
// Outputs: every task run's outputs as a tree or raw JSON, and an expression evaluator that renders
// `{{ ... }}` in this execution's context with secrets masked (executions.previewExpression, the REST
// API's `POST /executions/{id}/eval`).
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button, Card, ErrorText } from "../ui";
import type { TabProps } from "./execution-page";
import { FileValue } from "./file-preview";
import { StateBadge } from "./state-badge";
import { useTaskRunDetails } from "./task-run-details";

interface FileContext {
  tenant: string;
  executionId: string;
}

function Tree({ value, name, files }: { value: unknown; name: string; files: FileContext }) {
  if (value !== null && typeof value === "object") {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    return (
      <details open className="ml-3">
        <summary className="cursor-pointer font-mono text-xs">
          {name}{" "}
          <span className="text-zinc-500">
            {Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`}
          </span>
        </summary>
        {entries.map(([key, child]) => (
          <Tree key={key} name={key} value={child} files={files} />
        ))}
      </details>
    );
  }
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return (
    <div className="ml-3 flex gap-2 font-mono text-xs">
      <span className="text-zinc-500">{name}:</span>
      <span className="min-w-0 break-all" data-output={name}>
        {typeof value === "string" && value.startsWith("kestra://") ? (
          <FileValue tenant={files.tenant} executionId={files.executionId} uri={value} />
        ) : (
          text
        )}
      </span>
    </div>
  );
}

function Evaluator({ tenant, executionId }: { tenant: string; executionId: string }) {
  const client = useMutation({
    mutationFn: (expression: string) =>
      fetch(`/api/v1/${encodeURIComponent(tenant)}/executions/${encodeURIComponent(executionId)}/eval`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: expression,
      }).then(async (response) => {
        const body = (await response.json()) as { value?: string; error?: string; message?: string };
        if (!response.ok) throw new Error(body.message ?? `${response.status}`);
        return body;
      }),
  });
  const [expression, setExpression] = useState("{{ outputs }}");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    client.mutate(expression);
  };
  return (
    <Card title="Evaluate an expression">
      <form onSubmit={submit} className="space-y-2">
        <textarea
          aria-label="Expression"
          value={expression}
          onChange={(e) => setExpression(e.target.value)}
          rows={3}
          className="w-full rounded-md border border-zinc-300 bg-transparent p-2 font-mono text-xs dark:border-zinc-700"
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) submit(e);
          }}
        />
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={client.isPending}>
            Evaluate
          </Button>
          <span className="text-xs text-zinc-500">In this execution's context; secrets are masked.</span>
        </div>
      </form>
      {client.error ? <ErrorText>{client.error.message}</ErrorText> : null}
      {client.data?.error ? <ErrorText>{client.data.error}</ErrorText> : null}
      {client.data?.value !== undefined ? (
        <pre
          data-testid="eval-result"
          className="mt-3 max-h-72 overflow-auto rounded bg-zinc-50 p-2 text-xs dark:bg-zinc-950"
        >
          {client.data.value}
        </pre>
      ) : null}
    </Card>
  );
}

export function OutputsTab({ tenant, execution }: TabProps) {
  const [raw, setRaw] = useState(false);
  const details = useTaskRunDetails(tenant, execution.id, execution.taskRunList, { all: true });
  const runs = execution.taskRunList.flatMap((run) => {
    const outputs = details?.get(run.id)?.outputs;
    return outputs && Object.keys(outputs).length > 0 ? [{ ...run, outputs }] : [];
  });
  return (
    <div className="grid gap-x-6 lg:grid-cols-[3fr_2fr]">
      <Card title="Task outputs">
        <div className="mb-3 flex gap-1 text-xs">
          {(["Tree", "Raw JSON"] as const).map((mode) => (
            <button
              key={mode}
              type="button"
              aria-pressed={raw === (mode === "Raw JSON")}
              onClick={() => setRaw(mode === "Raw JSON")}
              className={`rounded px-2 py-1 ${raw === (mode === "Raw JSON") ? "bg-zinc-200 dark:bg-zinc-700" : "hover:bg-zinc-100 dark:hover:bg-zinc-800"}`}
            >
              {mode}
            </button>
          ))}
        </div>
        {!details ? (
          <p className="text-sm text-zinc-500">Reading the outputs…</p>
        ) : runs.length === 0 ? (
          <p className="text-sm text-zinc-500">No task has outputs yet.</p>
        ) : raw ? (
          <pre className="max-h-[600px] overflow-auto rounded bg-zinc-50 p-2 text-xs dark:bg-zinc-950">
            {JSON.stringify(
              Object.fromEntries(
                runs.map((run) => [
                  `${run.taskId}${run.value !== null ? `[${run.value}]` : ""}`,
                  run.outputs,
                ]),
              ),
              null,
              2,
            )}
          </pre>
        ) : (
          <div className="space-y-3">
            {runs.map((run) => (
              <div key={run.id}>
                <p className="mb-1 flex items-center gap-2 text-sm font-medium">
                  <span className="font-mono">{run.taskId}</span>
                  {run.value !== null ? (
                    <span className="font-mono text-xs text-zinc-500">[{run.value}]</span>
                  ) : null}
                  <StateBadge state={run.state.current} />
                </p>
                <Tree name="outputs" value={run.outputs} files={{ tenant, executionId: execution.id }} />
              </div>
            ))}
          </div>
        )}
      </Card>
      <Evaluator tenant={tenant} executionId={execution.id} />
    </div>
  );
}
