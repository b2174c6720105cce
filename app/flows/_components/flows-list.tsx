"use client";
// The flows of the tenant the person may read: search by text, namespace (tree or prefix) and labels,
// keyset pages, and row selection (the bulk actions that use it are added beside the "selected" count).
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { DateTime } from "../../_components/date-time";
import { LabelChip, StateBadge } from "../../_components/state-badge";
import { Button, ErrorText, Input } from "../../_components/ui";
import { useTRPC } from "../../_trpc/react";
import { FlowsBulkActions, ImportFlows } from "./flows-bulk";

export interface FlowKey {
  namespace: string;
  id: string;
}

const keyOf = (flow: FlowKey) => `${flow.namespace}/${flow.id}`;

/** `team:data, env:prod` -> labels; anything without a colon is ignored. */
function parseLabels(text: string): { key: string; value: string }[] {
  return text
    .split(/[,\s]+/)
    .map((part) => part.trim())
    .filter((part) => part.includes(":"))
    .map((part) => ({ key: part.slice(0, part.indexOf(":")), value: part.slice(part.indexOf(":") + 1) }))
    .filter((label) => label.key.length > 0);
}

export function FlowsList({ tenant, canCreate }: { tenant: string; canCreate: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const q = params.get("q") ?? "";
  const namespace = params.get("namespace") ?? "";
  const labelsText = params.get("labels") ?? "";
  const labels = useMemo(() => parseLabels(labelsText), [labelsText]);
  const [cursors, setCursors] = useState<string[]>([]); // the `after` of each page before this one
  const after = cursors.at(-1);
  const [selected, setSelected] = useState<Map<string, FlowKey>>(new Map());

  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setCursors([]);
    router.replace(`${pathname}${next.size ? `?${next}` : ""}`);
  };

  const search = useQuery(
    trpc.flows.search.queryOptions({
      tenant,
      ...(q ? { q } : {}),
      ...(namespace ? { namespace } : {}),
      ...(labels.length ? { labels } : {}),
      ...(after ? { after } : {}),
      size: 25,
    }),
  );
  const namespaces = useQuery(trpc.namespaces.list.queryOptions({ tenant }));
  const filtered = Boolean(q || namespace || labels.length);
  const rows = search.data?.results ?? [];

  const allOnPage = rows.length > 0 && rows.every((row) => selected.has(keyOf(row)));
  const toggle = (flow: FlowKey) =>
    setSelected((current) => {
      const next = new Map(current);
      if (next.has(keyOf(flow))) next.delete(keyOf(flow));
      else next.set(keyOf(flow), { namespace: flow.namespace, id: flow.id });
      return next;
    });
  const togglePage = () =>
    setSelected((current) => {
      const next = new Map(current);
      for (const row of rows) {
        if (allOnPage) next.delete(keyOf(row));
        else next.set(keyOf(row), { namespace: row.namespace, id: row.id });
      }
      return next;
    });

  if (search.data && search.data.total === 0 && !filtered && !after)
    return <NoFlows canCreate={canCreate} tenant={tenant} />;

  return (
    <div className="flex gap-6">
      <NamespaceTree
        namespaces={(namespaces.data ?? []).map((n) => n.id)}
        current={namespace}
        onPick={(ns) => setParam("namespace", ns)}
      />
      <div className="min-w-0 flex-1">
        <form
          className="mb-4 flex flex-wrap items-end gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            const data = new FormData(event.currentTarget);
            const next = new URLSearchParams();
            for (const name of ["q", "namespace", "labels"]) {
              const value = String(data.get(name) ?? "").trim();
              if (value) next.set(name, value);
            }
            setCursors([]);
            router.replace(`${pathname}${next.size ? `?${next}` : ""}`);
          }}
        >
          <Input
            name="q"
            defaultValue={q}
            key={`q${q}`}
            placeholder="Search id or namespace"
            aria-label="Search"
          />
          <Input
            name="namespace"
            defaultValue={namespace}
            key={`n${namespace}`}
            placeholder="Namespace prefix, e.g. company.team"
            aria-label="Namespace prefix"
            className="w-64"
          />
          <Input
            name="labels"
            defaultValue={labelsText}
            key={`l${labelsText}`}
            placeholder="Labels, e.g. team:data env:prod"
            aria-label="Labels"
            className="w-64"
          />
          <Button type="submit" variant="plain">
            Search
          </Button>
          {filtered ? (
            <Button
              variant="plain"
              onClick={() => {
                setCursors([]);
                router.replace(pathname);
              }}
            >
              Clear
            </Button>
          ) : null}
        </form>
        <div
          className="mb-2 flex min-h-8 items-center gap-3 text-sm text-zinc-600 dark:text-zinc-400"
          data-testid="selection-bar"
        >
          {selected.size > 0 ? (
            <>
              <span>
                <strong>{selected.size}</strong> selected
              </span>
              <FlowsBulkActions
                tenant={tenant}
                selected={[...selected.values()]}
                filter={{ q, namespace, labels }}
                onDone={() => setSelected(new Map())}
              />
              <button
                type="button"
                className="text-brand-600 hover:underline"
                onClick={() => setSelected(new Map())}
              >
                Clear selection
              </button>
            </>
          ) : (
            <>
              <span>
                {search.data ? `${search.data.total} flow${search.data.total === 1 ? "" : "s"}` : " "}
              </span>
              {filtered && search.data && search.data.total > 0 ? (
                <FlowsBulkActions
                  tenant={tenant}
                  selected={[]}
                  filter={{ q, namespace, labels }}
                  matching={search.data.total}
                  onDone={() => undefined}
                />
              ) : null}
              {canCreate ? (
                <span className="ml-auto">
                  <ImportFlows tenant={tenant} />
                </span>
              ) : null}
            </>
          )}
        </div>
        <ErrorText>{search.error?.message}</ErrorText>
        <div className="overflow-x-auto rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
          <table aria-label="Flows" className="w-full text-left text-sm">
            <thead className="text-xs uppercase tracking-wide text-zinc-500">
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th className="w-10 px-3 py-2">
                  <input
                    type="checkbox"
                    aria-label="Select all on this page"
                    checked={allOnPage}
                    onChange={togglePage}
                  />
                </th>
                <th className="py-2 pr-4 font-medium">Id</th>
                <th className="py-2 pr-4 font-medium">Namespace</th>
                <th className="py-2 pr-4 font-medium">Labels</th>
                <th className="py-2 pr-4 font-medium">Last execution</th>
                <th className="py-2 pr-4 font-medium">Triggers</th>
                <th className="py-2 pr-4 font-medium">Revision</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {search.isPending ? (
                <tr>
                  <td colSpan={7} className="px-3 py-6 text-center text-zinc-500">
                    Loading flows…
                  </td>
                </tr>
              ) : rows.length === 0 ? (
                <tr>
                  <td colSpan={7} className="px-3 py-6 text-center text-zinc-500">
                    No flow matches these filters.
                  </td>
                </tr>
              ) : (
                rows.map((flow) => (
                  <tr key={keyOf(flow)} className={flow.disabled ? "opacity-60" : ""}>
                    <td className="px-3 py-2">
                      <input
                        type="checkbox"
                        aria-label={`Select ${flow.namespace}.${flow.id}`}
                        checked={selected.has(keyOf(flow))}
                        onChange={() => toggle(flow)}
                      />
                    </td>
                    <td className="py-2 pr-4 font-medium">
                      <Link
                        href={`/flows/${flow.namespace}/${flow.id}`}
                        className="text-brand-600 hover:underline"
                      >
                        {flow.id}
                      </Link>
                      {flow.disabled ? (
                        <span className="ml-2 rounded bg-zinc-200 px-1.5 py-0.5 text-[11px] font-semibold text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200">
                          DISABLED
                        </span>
                      ) : null}
                    </td>
                    <td className="py-2 pr-4">
                      <button
                        type="button"
                        className="font-mono text-xs text-zinc-600 hover:underline dark:text-zinc-400"
                        onClick={() => setParam("namespace", flow.namespace)}
                      >
                        {flow.namespace}
                      </button>
                    </td>
                    <td className="py-2 pr-4">
                      <div className="flex flex-wrap gap-1">
                        {flow.labels.map((label) => (
                          <LabelChip key={`${label.key}:${label.value}`} label={label} />
                        ))}
                      </div>
                    </td>
                    <td className="py-2 pr-4">
                      {flow.lastExecution ? (
                        <Link
                          href={`/executions/${flow.lastExecution.id}`}
                          className="flex items-center gap-2"
                        >
                          <StateBadge state={flow.lastExecution.state} />
                          <span className="text-xs text-zinc-500">
                            <DateTime iso={flow.lastExecution.startDate} />
                          </span>
                        </Link>
                      ) : (
                        <span className="text-xs text-zinc-400">never run</span>
                      )}
                    </td>
                    <td className="py-2 pr-4 tabular-nums">{flow.triggerCount}</td>
                    <td className="py-2 pr-4 tabular-nums text-zinc-500">{flow.revision}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        <div className="mt-3 flex items-center justify-end gap-2">
          <Button
            variant="plain"
            disabled={cursors.length === 0}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            Previous
          </Button>
          <Button
            variant="plain"
            disabled={!search.data?.next}
            onClick={() => {
              const next = search.data?.next;
              if (next) setCursors((c) => [...c, next]);
            }}
          >
            Next
          </Button>
        </div>
      </div>
    </div>
  );
}

/** Namespaces as a tree (`company` > `team` > `data`): a click filters on that prefix. */
function NamespaceTree({
  namespaces,
  current,
  onPick,
}: {
  namespaces: string[];
  current: string;
  onPick: (namespace: string) => void;
}) {
  const all = useMemo(() => {
    const set = new Set<string>();
    for (const ns of namespaces) {
      const parts = ns.split(".");
      for (let i = 1; i <= parts.length; i++) set.add(parts.slice(0, i).join("."));
    }
    return [...set].sort();
  }, [namespaces]);
  if (all.length === 0) return null;
  return (
    <nav aria-label="Namespaces" className="hidden w-52 shrink-0 text-sm lg:block">
      <p className="mb-1 px-2 text-xs font-semibold uppercase tracking-wider text-zinc-400">Namespaces</p>
      <button
        type="button"
        onClick={() => onPick("")}
        className={`block w-full rounded px-2 py-1 text-left ${current ? "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800" : "bg-brand-100 font-medium text-brand-700 dark:bg-brand-700/30 dark:text-brand-100"}`}
      >
        All
      </button>
      {all.map((ns) => {
        const depth = ns.split(".").length - 1;
        return (
          <button
            key={ns}
            type="button"
            onClick={() => onPick(ns)}
            style={{ paddingLeft: `${0.5 + depth * 0.85}rem` }}
            className={`block w-full truncate rounded py-1 pr-2 text-left font-mono text-xs ${current === ns ? "bg-brand-100 font-medium text-brand-700 dark:bg-brand-700/30 dark:text-brand-100" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"}`}
            title={ns}
          >
            {ns.split(".").at(-1)}
          </button>
        );
      })}
    </nav>
  );
}

function NoFlows({ canCreate, tenant }: { canCreate: boolean; tenant: string }) {
  return (
    <div className="rounded-xl border border-dashed border-zinc-300 bg-white p-10 text-center dark:border-zinc-700 dark:bg-zinc-900">
      <h2 className="text-lg font-semibold">No flows yet</h2>
      <p className="mx-auto mt-1 max-w-md text-sm text-zinc-600 dark:text-zinc-400">
        A flow is a YAML file of tasks, written in Kestra&apos;s language: write one in the editor, or start
        from a ready-made blueprint.
      </p>
      <div className="mt-6 flex justify-center gap-3">
        {canCreate ? (
          <Link
            href="/flows/new"
            className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700"
          >
            Create a flow
          </Link>
        ) : null}
        <Link
          href="/blueprints"
          className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800"
        >
          Start from a blueprint
        </Link>
        {canCreate ? <ImportFlows tenant={tenant} /> : null}
      </div>
    </div>
  );
}
