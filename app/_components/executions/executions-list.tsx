"use client";
// The executions list: filters in the URL, a per-day (or per-hour) chart by state, keyset pages, live
// updates (a cheap "changed since" poll every 3 s refreshes what changed), row selection or "all N matching",
// and bulk restart, replay, kill, resume, delete and set labels — each disabled, with a tooltip naming the
// permission and namespace, when the person lacks it (the server refuses regardless, per execution).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import type { ExecutionPage } from "@/server/services/executions-list";
import { formatDate as formatDateWith, formatElapsed, formatRelative } from "../../_lib/format-date";
import { useTRPC } from "../../_trpc/react";
import { Dialog } from "../dialog";
import { usePreferences, useTimeZone } from "../preferences";
import { Button, Card, Empty, ErrorText, Field, Input, Select } from "../ui";
import { allowed, allowedSomewhere, type Grants, needs } from "./access";
import {
  EXECUTION_KINDS,
  type ListParams,
  labelsText,
  PAGE_SIZE,
  parseLabels,
  RANGES,
  readParams,
  TRIGGER_TYPES,
  toFilter,
  writeParams,
} from "./filters";
import { StateChart } from "./state-chart";
import { STATE_ORDER, StateBadge, TERMINAL } from "./states";

const POLL_MS = 3_000;

type Operation = "restart" | "replay" | "kill" | "resume" | "delete" | "labels";
const OPERATIONS: { op: Operation; label: string; grant: string; danger?: boolean; done: string }[] = [
  { op: "restart", label: "Restart", grant: "EXECUTION:UPDATE", done: "Restarted" },
  { op: "replay", label: "Replay", grant: "EXECUTION:CREATE", done: "Replayed" },
  { op: "resume", label: "Resume", grant: "EXECUTION:UPDATE", done: "Resumed" },
  { op: "kill", label: "Kill", grant: "EXECUTION:UPDATE", danger: true, done: "Killed" },
  { op: "labels", label: "Set labels", grant: "EXECUTION:UPDATE", done: "Labelled" },
  { op: "delete", label: "Delete", grant: "EXECUTION:DELETE", danger: true, done: "Deleted" },
];

function useNow(ms: number, initial?: number): number {
  const [now, setNow] = useState(() => initial ?? Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/**
 * The first page as the server read it with the page (its rows are then in the HTML): for the filters
 * `key` (writeParams), the range anchored at `anchor`.
 */
export interface InitialExecutionPage {
  key: string;
  anchor: number;
  page: ExecutionPage;
}

/**
 * Dates as the person asked, except before hydration when that depends on the browser (its time zone, its
 * locale, the time now): the server's HTML and the browser's first render then agree on UTC and ISO.
 */
function useListDates(): (value: Date) => string {
  const { timeZone, dateFormat } = usePreferences();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return useMemo(() => {
    const stable = mounted
      ? { timeZone, dateFormat }
      : {
          timeZone: timeZone === "browser" ? "UTC" : timeZone,
          dateFormat: dateFormat === "relative" || dateFormat === "locale" ? ("iso" as const) : dateFormat,
        };
    return (value: Date) => formatDateWith(value, stable);
  }, [mounted, timeZone, dateFormat]);
}

export function ExecutionsList({ tenant, initial }: { tenant: string; initial?: InitialExecutionPage }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const params = useMemo(() => readParams(new URLSearchParams(search.toString())), [search]);
  const key = writeParams(params);
  // The range's start is fixed when the filters change (a query key that moved every second would refetch);
  // the first filters take the server's anchor, whose first page came with the page.
  const moved = useRef(false);
  useEffect(() => {
    if (key !== initial?.key) moved.current = true;
  }, [key, initial?.key]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: recomputed per filter, on purpose
  const anchor = useMemo(
    () => (initial && !moved.current && key === initial.key ? initial.anchor : Date.now()),
    [key],
  );
  const filter = useMemo(() => toFilter(params, anchor), [params, anchor]);
  const timeZone = useTimeZone();
  const formatDate = useListDates();
  const now = useNow(1000, initial?.anchor);

  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [asking, setAsking] = useState<Operation | undefined>();
  const [outcome, setOutcome] = useState<string | undefined>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts from page 1, nothing selected
  useEffect(() => {
    setCursors([undefined]);
    setSelected(new Set());
    setAllMatching(false);
  }, [key]);
  const cursor = cursors[cursors.length - 1];

  const access = useQuery(trpc.team.access.queryOptions({ tenant }));
  const grants = access.data?.grants as Grants | undefined;
  const served = initial && !cursor && anchor === initial.anchor && key === initial.key;
  const page = useQuery({
    ...trpc.executionList.page.queryOptions({
      tenant,
      filter,
      size: PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    }),
    ...(served ? { initialData: initial.page } : {}),
    placeholderData: keepPreviousData,
  });
  const count = useQuery(trpc.executionList.count.queryOptions({ tenant, filter }));
  const bucket = params.range === "1h" || params.range === "24h" ? "hour" : "day";
  const chart = useQuery({
    ...trpc.executionList.overTime.queryOptions({ tenant, filter, bucket, timeZone }),
    placeholderData: keepPreviousData,
  });

  // Live: ask what changed since the newest change seen; anything new refreshes the page, chart and count.
  const since = useRef<Date>(new Date());
  useEffect(() => {
    const rows = page.data?.results ?? [];
    for (const row of rows)
      if (new Date(row.updatedAt) > since.current) since.current = new Date(row.updatedAt);
  }, [page.data]);
  const changes = useQuery({
    ...trpc.executionList.changedSince.queryOptions({ tenant, filter, since: since.current }),
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  });
  useEffect(() => {
    const changed = changes.data ?? [];
    if (changed.length === 0) return;
    const last = changed[changed.length - 1];
    if (last) since.current = new Date(last.updatedAt);
    void queryClient.invalidateQueries({ queryKey: trpc.executionList.page.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.executionList.overTime.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.executionList.count.queryKey() });
  }, [changes.data, queryClient, trpc]);

  const bulk = useMutation(
    trpc.executionList.bulk.mutationOptions({
      onSuccess: (result, variables) => {
        const done = OPERATIONS.find((o) => o.op === variables.operation)?.done ?? "Done";
        const refusals = result.errors
          .slice(0, 5)
          .map((e) => `${e.id.slice(0, 8)}: ${e.message}`)
          .join(" · ");
        setOutcome(
          `${done} ${result.count} execution${result.count === 1 ? "" : "s"}.${
            result.failed ? ` ${result.failed} refused — ${refusals}${result.failed > 5 ? " …" : ""}` : ""
          }`,
        );
        setSelected(new Set());
        setAllMatching(false);
        setAsking(undefined);
        void queryClient.invalidateQueries({ queryKey: trpc.executionList.page.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.executionList.overTime.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.executionList.count.queryKey() });
      },
    }),
  );

  const setParams = (next: ListParams) =>
    router.replace(`${pathname}${writeParams(next)}`, { scroll: false });

  const rows = page.data?.results ?? [];
  const pageIds = rows.map((r) => r.id);
  const allOnPage = rows.length > 0 && pageIds.every((id) => selected.has(id));
  const chosenRows = rows.filter((r) => selected.has(r.id));
  const chosenCount = allMatching ? (count.data?.count ?? 0) : selected.size;
  const total = count.data ? `${count.data.count.toLocaleString("en")}${count.data.capped ? "+" : ""}` : "…";

  function permitted(grant: string): { ok: boolean; why?: string } {
    if (allMatching) {
      const ok = params.namespace
        ? allowed(grants, grant, params.namespace) || allowedSomewhere(grants, grant)
        : allowedSomewhere(grants, grant);
      return ok ? { ok } : { ok, why: needs(grant, params.namespace ? [params.namespace] : []) };
    }
    const refused = chosenRows.filter((r) => !allowed(grants, grant, r.namespace)).map((r) => r.namespace);
    return refused.length ? { ok: false, why: needs(grant, refused) } : { ok: true };
  }

  function run(operation: Operation, labels?: { key: string; value: string }[]) {
    bulk.mutate({
      tenant,
      operation,
      ...(allMatching ? { filter } : { ids: [...selected] }),
      ...(labels ? { labels } : {}),
    });
  }

  return (
    <>
      <Filters params={params} onChange={setParams} />
      <Card label="Executions over time">
        <div className="mb-2 flex items-baseline justify-between">
          <h2 className="font-semibold">Executions per {bucket}</h2>
          <span className="text-sm text-zinc-500" data-testid="match-count">
            {total} matching
          </span>
        </div>
        {chart.error ? <ErrorText>{chart.error.message}</ErrorText> : null}
        <StateChart
          points={chart.data ?? []}
          bucket={bucket}
          from={filter.from ?? new Date(firstDate(chart.data) ?? now - 7 * 86_400_000)}
          to={filter.to ?? new Date(now)}
          timeZone={timeZone}
        />
      </Card>

      <Card label="Executions">
        <div className="mb-3 flex flex-wrap items-center gap-2" role="toolbar" aria-label="Bulk actions">
          <span className="mr-2 text-sm text-zinc-600 dark:text-zinc-400" data-testid="selection">
            {chosenCount
              ? `${chosenCount.toLocaleString("en")} selected`
              : "Select executions to act on them"}
          </span>
          {OPERATIONS.map(({ op, label, grant, danger }) => {
            const { ok, why } = permitted(grant);
            const none = chosenCount === 0;
            return (
              <span key={op} title={none ? "Select executions first" : why}>
                <Button
                  variant={danger ? "danger" : "plain"}
                  disabled={none || !ok || bulk.isPending}
                  onClick={() => setAsking(op)}
                  className="disabled:cursor-not-allowed disabled:opacity-50"
                >
                  {label}
                </Button>
              </span>
            );
          })}
          <span className="ml-auto text-xs text-zinc-500" title="The list asks every 3 seconds what changed">
            <span className="mr-1 inline-block size-2 animate-pulse rounded-full bg-emerald-500" />
            Live
          </span>
        </div>
        {outcome ? (
          <p role="status" className="mb-3 rounded-md bg-zinc-100 px-3 py-2 text-sm dark:bg-zinc-800">
            {outcome}
          </p>
        ) : null}
        {allOnPage && !allMatching && count.data && count.data.count > rows.length ? (
          <p className="mb-3 rounded-md bg-brand-50 px-3 py-2 text-sm dark:bg-brand-700/20">
            All {rows.length} executions on this page are selected.{" "}
            <button
              type="button"
              className="font-medium text-brand-600 hover:underline"
              onClick={() => setAllMatching(true)}
            >
              Select all {total} matching the filter
            </button>
          </p>
        ) : null}
        {allMatching ? (
          <p className="mb-3 rounded-md bg-brand-50 px-3 py-2 text-sm dark:bg-brand-700/20">
            All {total} executions matching the filter are selected.{" "}
            <button
              type="button"
              className="font-medium text-brand-600 hover:underline"
              onClick={() => {
                setAllMatching(false);
                setSelected(new Set());
              }}
            >
              Clear selection
            </button>
          </p>
        ) : null}
        {page.error ? <ErrorText>Could not load executions: {page.error.message}</ErrorText> : null}
        {page.isPending ? (
          <Empty>Loading executions…</Empty>
        ) : rows.length === 0 ? (
          <Empty>
            No execution matches these filters{params.range !== "all" ? " in this period" : ""}. Widen the
            time range, or start one from a{" "}
            <Link className="text-brand-600 underline" href="/flows">
              flow
            </Link>
            .
          </Empty>
        ) : (
          <div className="overflow-x-auto">
            <table aria-label="Executions" className="w-full text-left text-sm">
              <thead className="text-xs uppercase tracking-wide text-zinc-500">
                <tr>
                  <th className="w-8 border-b border-zinc-200 py-2 dark:border-zinc-800">
                    <input
                      type="checkbox"
                      aria-label="Select all on this page"
                      checked={allOnPage}
                      onChange={(e) => {
                        setAllMatching(false);
                        setSelected(e.target.checked ? new Set(pageIds) : new Set());
                      }}
                    />
                  </th>
                  {["Id", "Flow", "Namespace", "Start", "End", "Duration", "State", "Labels", "Rev."].map(
                    (h) => (
                      <th
                        key={h}
                        className="border-b border-zinc-200 py-2 pr-3 font-medium dark:border-zinc-800"
                      >
                        {h}
                      </th>
                    ),
                  )}
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {rows.map((row) => {
                  const start = new Date(row.startDate);
                  const end = row.endDate ? new Date(row.endDate) : null;
                  const running = !TERMINAL.has(row.state);
                  return (
                    <tr
                      key={row.id}
                      data-state={row.state}
                      className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50"
                    >
                      <td className="py-1.5">
                        <input
                          type="checkbox"
                          aria-label={`Select execution ${row.id}`}
                          checked={allMatching || selected.has(row.id)}
                          disabled={allMatching}
                          onChange={(e) => {
                            const next = new Set(selected);
                            if (e.target.checked) next.add(row.id);
                            else next.delete(row.id);
                            setSelected(next);
                          }}
                        />
                      </td>
                      <td className="py-1.5 pr-3 font-mono text-xs">
                        <Link
                          href={`/executions/${row.id}`}
                          className="text-brand-600 hover:underline"
                          title={row.id}
                        >
                          {row.id.slice(0, 8)}
                        </Link>
                      </td>
                      <td className="py-1.5 pr-3">
                        <Link
                          href={`/flows/${row.namespace}/${row.flowId}`}
                          className="font-medium hover:underline"
                        >
                          {row.flowId}
                        </Link>
                      </td>
                      <td className="py-1.5 pr-3 text-zinc-600 dark:text-zinc-400">{row.namespace}</td>
                      <td className="whitespace-nowrap py-1.5 pr-3" title={formatRelative(start, now)}>
                        {formatDate(start)}
                      </td>
                      <td className="whitespace-nowrap py-1.5 pr-3">{end ? formatDate(end) : "—"}</td>
                      <td className="whitespace-nowrap py-1.5 pr-3 tabular-nums">
                        {formatElapsed(
                          (end?.getTime() ?? (running ? now : start.getTime())) - start.getTime(),
                        )}
                      </td>
                      <td className="py-1.5 pr-3">
                        <StateBadge state={row.state} />
                      </td>
                      <td className="py-1.5 pr-3">
                        <div className="flex max-w-xs flex-wrap gap-1">
                          {row.labels.map((l) => (
                            <button
                              key={`${l.key}:${l.value}`}
                              type="button"
                              title="Filter by this label"
                              onClick={() =>
                                setParams({
                                  ...params,
                                  labels: [...params.labels.filter((x) => x.key !== l.key), l],
                                })
                              }
                              className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700 hover:bg-zinc-200 dark:bg-zinc-800 dark:text-zinc-300"
                            >
                              {l.key}:{l.value}
                            </button>
                          ))}
                        </div>
                      </td>
                      <td className="py-1.5 pr-3 tabular-nums text-zinc-500">{row.flowRevision}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <div className="mt-3 flex items-center justify-between text-sm">
          <span className="text-zinc-500">
            Page {cursors.length}
            {page.isFetching ? " · refreshing…" : ""}
          </span>
          <div className="flex gap-2">
            <Button
              variant="plain"
              className="disabled:cursor-not-allowed disabled:opacity-50"
              disabled={cursors.length <= 1}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              Previous
            </Button>
            <Button
              variant="plain"
              className="disabled:cursor-not-allowed disabled:opacity-50"
              disabled={!page.data?.next}
              onClick={() => page.data?.next && setCursors([...cursors, page.data.next])}
            >
              Next
            </Button>
          </div>
        </div>
      </Card>

      <ConfirmBulk
        operation={asking}
        count={chosenCount}
        pending={bulk.isPending}
        error={bulk.error?.message}
        onCancel={() => {
          setAsking(undefined);
          bulk.reset();
        }}
        onConfirm={(labels) => asking && run(asking, labels)}
      />
    </>
  );
}

function firstDate(points: { date: Date | string }[] | undefined): number | undefined {
  const first = points?.[0];
  return first ? new Date(first.date).getTime() : undefined;
}

function ConfirmBulk({
  operation,
  count,
  pending,
  error,
  onCancel,
  onConfirm,
}: {
  operation: Operation | undefined;
  count: number;
  pending: boolean;
  error?: string;
  onCancel: () => void;
  onConfirm: (labels?: { key: string; value: string }[]) => void;
}) {
  const [labels, setLabels] = useState("");
  const spec = OPERATIONS.find((o) => o.op === operation);
  const parsed = parseLabels(labels);
  const what = `${count.toLocaleString("en")} execution${count === 1 ? "" : "s"}`;
  const explain: Record<Operation, string> = {
    restart: `Restart ${what} from their failed task runs.`,
    replay: `Replay ${what} as new executions, from their first task.`,
    resume: `Resume ${what} that are paused.`,
    kill: `Kill ${what}: running tasks are stopped.`,
    labels: `Set labels on ${what} (other labels are kept).`,
    delete: `Delete ${what} with their task runs and logs. This cannot be undone.`,
  };
  return (
    <Dialog open={operation !== undefined} title={spec ? `${spec.label} executions` : ""} onClose={onCancel}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm(operation === "labels" ? parsed : undefined);
        }}
      >
        <p className="text-sm text-zinc-700 dark:text-zinc-300">{operation ? explain[operation] : null}</p>
        <p className="mt-1 text-xs text-zinc-500">
          Each execution is checked against your permissions on its namespace.
        </p>
        {operation === "labels" ? (
          <div className="mt-3">
            <Field label="Labels (key:value, separated by spaces)">
              <Input
                value={labels}
                onChange={(e) => setLabels(e.target.value)}
                placeholder="team:data env:prod"
                autoFocus
              />
            </Field>
          </div>
        ) : null}
        <ErrorText>{error}</ErrorText>
        <div className="mt-5 flex justify-end gap-2">
          <Button variant="plain" onClick={onCancel}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant={spec?.danger ? "danger" : "primary"}
            disabled={pending || (operation === "labels" && parsed.length === 0)}
          >
            {pending ? "Working…" : `${spec?.label ?? ""} ${what}`}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function Filters({ params, onChange }: { params: ListParams; onChange: (next: ListParams) => void }) {
  const [draft, setDraft] = useState({
    namespace: params.namespace,
    flowId: params.flowId,
    labels: labelsText(params.labels),
    parentId: params.parentId,
  });
  useEffect(() => {
    setDraft({
      namespace: params.namespace,
      flowId: params.flowId,
      labels: labelsText(params.labels),
      parentId: params.parentId,
    });
  }, [params]);
  const apply = () =>
    onChange({
      ...params,
      namespace: draft.namespace.trim(),
      flowId: draft.flowId.trim(),
      labels: parseLabels(draft.labels),
      parentId: draft.parentId.trim(),
    });
  const toggleState = (state: string) =>
    onChange({
      ...params,
      states: params.states.includes(state)
        ? params.states.filter((s) => s !== state)
        : [...params.states, state],
    });
  return (
    <Card label="Filters">
      <form
        className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-6"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <Field label="Namespace">
          <Input
            value={draft.namespace}
            onChange={(e) => setDraft({ ...draft, namespace: e.target.value })}
            onBlur={apply}
            placeholder="company.team"
          />
        </Field>
        <Field label="Flow">
          <Input
            value={draft.flowId}
            onChange={(e) => setDraft({ ...draft, flowId: e.target.value })}
            onBlur={apply}
          />
        </Field>
        <Field label="Labels">
          <Input
            value={draft.labels}
            onChange={(e) => setDraft({ ...draft, labels: e.target.value })}
            onBlur={apply}
            placeholder="key:value"
          />
        </Field>
        <Field label="Time range">
          <Select
            value={params.range}
            onChange={(e) => onChange({ ...params, range: e.target.value as ListParams["range"] })}
          >
            {RANGES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Trigger">
          <Select
            value={params.triggerType}
            onChange={(e) => onChange({ ...params, triggerType: e.target.value })}
          >
            <option value="">Any</option>
            {TRIGGER_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Kind">
          <Select value={params.kind} onChange={(e) => onChange({ ...params, kind: e.target.value })}>
            <option value="">All but loop iterations</option>
            {EXECUTION_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Parent execution">
          <Input
            value={draft.parentId}
            onChange={(e) => setDraft({ ...draft, parentId: e.target.value })}
            onBlur={apply}
            placeholder="execution id"
          />
        </Field>
        {params.range === "custom" ? (
          <>
            <Field label="From">
              <Input
                type="datetime-local"
                value={params.from}
                onChange={(e) => onChange({ ...params, from: e.target.value })}
              />
            </Field>
            <Field label="To">
              <Input
                type="datetime-local"
                value={params.to}
                onChange={(e) => onChange({ ...params, to: e.target.value })}
              />
            </Field>
          </>
        ) : null}
        <button type="submit" className="hidden">
          Apply
        </button>
      </form>
      <fieldset className="mt-3 flex flex-wrap items-center gap-1.5">
        <legend className="sr-only">States</legend>
        <span className="mr-1 text-sm font-medium text-zinc-700 dark:text-zinc-300">State</span>
        {STATE_ORDER.map((state) => {
          const on = params.states.includes(state);
          return (
            <button
              key={state}
              type="button"
              aria-pressed={on}
              onClick={() => toggleState(state)}
              className={`rounded-full border px-2 py-0.5 text-xs ${
                on
                  ? "border-brand-500 bg-brand-100 text-brand-700 dark:bg-brand-700/30 dark:text-brand-100"
                  : "border-zinc-300 text-zinc-600 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-400 dark:hover:bg-zinc-800"
              }`}
            >
              {state}
            </button>
          );
        })}
        {params.states.length ? (
          <button
            type="button"
            className="ml-2 text-xs text-brand-600 hover:underline"
            onClick={() => onChange({ ...params, states: [] })}
          >
            Clear
          </button>
        ) : null}
      </fieldset>
    </Card>
  );
}
