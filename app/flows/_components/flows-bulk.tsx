"use client";
// What the flows list does to many flows at once, over the bulk REST routes (Kestra's paths): enable,
// disable, delete and export the selected flows (by ids), or every flow matching the current filter (by
// query), and import YAML files (one or several documents each) or a zip of them. The server checks each
// flow's namespace; this only reports what it answered.
import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Button, ErrorText } from "../../_components/ui";
import type { FlowKey } from "./flows-list";

export interface FlowFilter {
  q?: string;
  namespace?: string;
  labels?: { key: string; value: string }[];
}

const api = (tenant: string, path: string) => `/api/v1/${encodeURIComponent(tenant)}/${path}`;

async function call(url: string, init: RequestInit): Promise<Response> {
  const response = await fetch(url, { credentials: "same-origin", ...init });
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as { message?: string } | undefined;
    throw new Error(body?.message ?? `${response.status} ${response.statusText}`);
  }
  return response;
}

function queryString(filter: FlowFilter): string {
  const params = new URLSearchParams();
  if (filter.q) params.set("q", filter.q);
  if (filter.namespace) params.set("namespace", filter.namespace);
  for (const label of filter.labels ?? []) params.append("labels", `${label.key}:${label.value}`);
  return params.toString();
}

async function download(response: Response, fallback: string) {
  const name = /filename="?([^";]+)"?/.exec(response.headers.get("content-disposition") ?? "")?.[1];
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement("a"), { href: url, download: name ?? fallback });
  link.click();
  URL.revokeObjectURL(url);
}

type Action = "enable" | "disable" | "delete" | "export";

/** The actions on the selection, or on everything the filter matches when `matching` is given. */
export function FlowsBulkActions({
  tenant,
  selected,
  filter,
  matching,
  onDone,
}: {
  tenant: string;
  selected: FlowKey[];
  filter: FlowFilter;
  /** How many flows the filter matches: the actions then apply to all of them. */
  matching?: number;
  onDone(): void;
}) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<Action>();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const byQuery = matching !== undefined;
  const count = byQuery ? matching : selected.length;
  const what = `${count} flow${count === 1 ? "" : "s"}`;

  const run = async (action: Action) => {
    if (action === "delete" && !window.confirm(`Delete ${what}? Their executions are kept.`)) return;
    setBusy(action);
    setError(undefined);
    setMessage(undefined);
    try {
      const json = { "content-type": "application/json" };
      const query = queryString(filter);
      let response: Response;
      if (action === "export") {
        response = byQuery
          ? await call(api(tenant, `flows/export/by-query?${query}`), { method: "GET" })
          : await call(api(tenant, "flows/export/by-ids"), {
              method: "POST",
              headers: json,
              body: JSON.stringify(selected),
            });
        await download(response, "flows.zip");
        setMessage(`Exported ${what}.`);
        return;
      }
      const path = action === "delete" ? "flows/delete" : `flows/${action}`;
      const method = action === "delete" ? "DELETE" : "POST";
      response = byQuery
        ? await call(api(tenant, `${path}/by-query?${query}`), { method })
        : await call(api(tenant, `${path}/by-ids`), {
            method,
            headers: json,
            body: JSON.stringify(selected),
          });
      const result = (await response.json()) as { count?: number };
      const done = result.count ?? count;
      setMessage(
        `${action === "delete" ? "Deleted" : action === "enable" ? "Enabled" : "Disabled"} ${done} flow${done === 1 ? "" : "s"}.`,
      );
      await queryClient.invalidateQueries();
      onDone();
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <fieldset className="flex flex-wrap items-center gap-2" aria-label="Bulk actions">
      {(["enable", "disable", "export", "delete"] as const).map((action) => (
        <Button
          key={action}
          variant={action === "delete" ? "danger" : "plain"}
          disabled={busy !== undefined || count === 0}
          onClick={() => run(action)}
        >
          {busy === action ? "…" : `${action[0]?.toUpperCase()}${action.slice(1)}${byQuery ? " all" : ""}`}
        </Button>
      ))}
      {message ? (
        <span role="status" className="text-green-700 dark:text-green-400">
          {message}
        </span>
      ) : null}
      <ErrorText>{error}</ErrorText>
    </fieldset>
  );
}

interface ImportResult {
  file: string;
  index: number;
  namespace?: string;
  id?: string;
  status: string;
  error?: string;
}

/** Import .yml/.yaml files (several `---` documents each) or a .zip of them; each document reported. */
export function ImportFlows({ tenant }: { tenant: string }) {
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [results, setResults] = useState<ImportResult[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const upload = async (files: FileList) => {
    setBusy(true);
    setError(undefined);
    setResults(undefined);
    try {
      const all: ImportResult[] = [];
      for (const file of Array.from(files)) {
        const form = new FormData();
        form.set("fileUpload", file, file.name);
        const response = await call(api(tenant, "flows/import"), { method: "POST", body: form });
        all.push(...((await response.json()) as ImportResult[]));
      }
      setResults(all);
      await queryClient.invalidateQueries();
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setBusy(false);
      if (input.current) input.current.value = "";
    }
  };

  return (
    <div className="relative">
      <input
        ref={input}
        type="file"
        accept=".yml,.yaml,.zip"
        multiple
        className="hidden"
        aria-label="Flow files to import"
        onChange={(event) => event.currentTarget.files?.length && upload(event.currentTarget.files)}
      />
      <Button variant="plain" disabled={busy} onClick={() => input.current?.click()}>
        {busy ? "Importing…" : "Import"}
      </Button>
      {results || error ? (
        <div
          role="status"
          className="absolute right-0 z-20 mt-2 w-96 rounded-lg border border-zinc-200 bg-white p-3 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <ErrorText>{error}</ErrorText>
          {results ? (
            <ul className="max-h-64 space-y-1 overflow-auto">
              {results.map((result) => (
                <li key={`${result.file}#${result.index}`}>
                  <span className="font-mono">
                    {result.namespace && result.id
                      ? `${result.namespace}.${result.id}`
                      : `${result.file}, document ${result.index + 1}`}
                  </span>{" "}
                  <strong>{result.status}</strong>
                  {result.error ? (
                    <span className="block text-xs text-red-700 dark:text-red-300">{result.error}</span>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
          <button
            type="button"
            className="mt-2 text-brand-600 hover:underline"
            onClick={() => {
              setResults(undefined);
              setError(undefined);
            }}
          >
            Close
          </button>
        </div>
      ) : null}
    </div>
  );
}
