"use client";
// The Logs tab for a log too long to keep in the page: a window of up to WINDOW lines read from the server
// by keyset (executions.logPage), earlier and later windows on demand, the level filter and the text
// search as queries, "next error" as one (executions.logNext) followed by the window around the line,
// and the counts (executions.logCounts) that say how many lines of how many are shown. A search that
// stopped before filling its window (a short term, or matches far apart) says how many lines it searched,
// and "Later lines" / "Earlier lines" continue from where it stopped; a count that stopped says so.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import type { LogPage } from "@/server/services/execution-logs";
import { useTRPC } from "../../_trpc/react";
import { Button, Input, Select } from "../ui";
import type { TabProps } from "./execution-page";
import { type LogLine, LogView } from "./log-view";
import { FIRST_LOG_WINDOW } from "./tabs";

const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"] as const;
type Level = (typeof LEVELS)[number];
const WINDOW = FIRST_LOG_WINDOW;
/** Lines shown above a line jumped to. */
const CONTEXT = 20;

interface Cursor {
  timestamp: string;
  id: string;
}
type Where = { kind: "start" } | { kind: "after"; cursor: Cursor } | { kind: "before"; cursor: Cursor };
const cursorOf = (line: Cursor): Cursor => ({ timestamp: line.timestamp, id: line.id });

/** `text` once it has not changed for `ms`. */
function useSettled(text: string, ms: number): string {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), ms);
    return () => clearTimeout(timer);
  }, [text, ms]);
  return settled;
}

export function ServerLogs({
  tenant,
  execution,
  running,
  initialPage,
}: TabProps & { initialPage?: LogPage }) {
  const trpc = useTRPC();
  const [level, setLevel] = useState<Level>("TRACE");
  const [typed, setTyped] = useState("");
  const text = useSettled(typed.trim(), 300);
  const [where, setWhere] = useState<Where>({ kind: "start" });
  // The line jumped to, with the window around it (read when jumping).
  const [jump, setJump] = useState<{ line: LogLine; lines: LogLine[]; moreAfter: boolean }>();
  const filter = { minLevel: level, ...(text ? { text } : {}) };
  const base = { tenant, executionId: execution.id, ...filter };
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts again from the first line
  useEffect(() => {
    setWhere({ kind: "start" });
    setJump(undefined);
  }, [level, text]);

  const first = where.kind === "start" && level === "TRACE" && !text;
  const page = useQuery({
    ...trpc.executions.logPage.queryOptions({
      ...base,
      limit: WINDOW,
      ...(where.kind === "after" ? { after: where.cursor } : {}),
      ...(where.kind === "before" ? { before: where.cursor } : {}),
    }),
    // The first window, read with the page (the same query: every level, no search, from the start).
    ...(first && initialPage ? { initialData: initialPage } : {}),
    enabled: !jump,
    placeholderData: (previous) => previous,
  });
  const counts = useQuery({
    // Alone, not batched with the page: counting a million lines must not hold the first screen back.
    ...trpc.executions.logCounts.queryOptions(base, { trpc: { context: { skipBatch: true } } }),
    refetchInterval: running ? 5_000 : false,
  }).data;

  const lines = jump?.lines ?? page.data?.lines ?? [];
  const moreBefore = jump
    ? true
    : where.kind === "before"
      ? Boolean(page.data?.more)
      : where.kind !== "start";
  const moreAfter = jump ? jump.moreAfter : where.kind === "before" ? true : Boolean(page.data?.more);
  // Where the last search stopped reading, when it stopped before filling the window.
  const searched = jump ? undefined : page.data?.searched;
  const highlight = jump ? lines.findIndex((line) => line.id === jump.line.id) : undefined;
  const jumpTo = useMemo(() => (highlight !== undefined ? { index: highlight } : undefined), [highlight]);
  const [searching, setSearching] = useState(false);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="log-level" className="text-sm">
          Level
        </label>
        <Select
          id="log-level"
          aria-label="Minimum level"
          value={level}
          onChange={(e) => setLevel(e.target.value as Level)}
        >
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </Select>
        <Input
          type="search"
          aria-label="Search logs"
          placeholder="Search…"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          className="w-56"
        />
        <Button
          variant="plain"
          onClick={() => {
            const first = where.kind === "before" && searched ? searched.until : lines[0];
            if (!first) return;
            setJump(undefined);
            setWhere({ kind: "before", cursor: cursorOf(first) });
          }}
          disabled={!moreBefore || (lines.length === 0 && !(where.kind === "before" && searched))}
        >
          Earlier lines
        </Button>
        <Button
          variant="plain"
          onClick={() => {
            const last = where.kind !== "before" && searched ? searched.until : lines.at(-1);
            if (!last) return;
            setJump(undefined);
            setWhere({ kind: "after", cursor: cursorOf(last) });
          }}
          disabled={!moreAfter || (lines.length === 0 && !(where.kind !== "before" && searched))}
        >
          Later lines
        </Button>
        <NextError
          tenant={tenant}
          executionId={execution.id}
          text={text}
          from={jump?.line ?? lines[0]}
          errors={counts?.levels.ERROR ?? 0}
          busy={searching}
          onBusy={setSearching}
          onFound={(line, around, moreAfterLine) =>
            setJump({ line, lines: around, moreAfter: moreAfterLine })
          }
        />
        <a
          href={`/api/v1/${encodeURIComponent(tenant)}/logs/${encodeURIComponent(execution.id)}/download`}
          className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800"
          download
        >
          Download
        </a>
        <span className="ml-auto text-xs text-zinc-500" aria-live="polite" data-testid="log-counts">
          {counts
            ? `${lines.length.toLocaleString("en")} lines shown of ${
                counts.matching === counts.total && !counts.partial
                  ? counts.total.toLocaleString("en")
                  : `${matchingText(counts)}, ${counts.total.toLocaleString("en")} in all`
              }`
            : `${lines.length.toLocaleString("en")} lines shown`}
          {searched
            ? ` · searched ${searched.lines.toLocaleString("en")} lines ${
                where.kind === "before" ? "back to" : "up to"
              } ${searched.until.timestamp.slice(11, 23)} without filling the window: “${
                where.kind === "before" ? "Earlier" : "Later"
              } lines” searches on`
            : ""}
          {running ? " · later lines as they come: “Later lines”" : ""}
        </span>
      </div>
      <LogView
        // A new window starts at its top.
        key={
          jump
            ? `jump-${jump.line.id}`
            : where.kind === "start"
              ? "start"
              : `${where.kind}-${where.cursor.id}`
        }
        lines={lines}
        follow={false}
        pinToEnd={false}
        height={560}
        {...(jumpTo ? { jumpTo, highlight: jumpTo.index } : {})}
      />
    </div>
  );
}

/** How many lines match, saying where a search's count stopped. */
function matchingText(counts: {
  matching: number;
  partial?: { reason: "cap" } | { reason: "scanned"; lines: number };
}): string {
  const n = counts.matching.toLocaleString("en");
  if (!counts.partial) return `${n} matching`;
  if (counts.partial.reason === "cap") return `more than ${n} matching`;
  return `${n} matching in the first ${counts.partial.lines.toLocaleString("en")} lines (not counted further)`;
}

/** "Next error": the next ERROR line after `from` (that the search keeps), and the window around it. */
function NextError({
  tenant,
  executionId,
  text,
  from,
  errors,
  busy,
  onBusy,
  onFound,
}: {
  tenant: string;
  executionId: string;
  text: string;
  from: LogLine | undefined;
  errors: number;
  busy: boolean;
  onBusy(busy: boolean): void;
  onFound(line: LogLine, around: LogLine[], moreAfter: boolean): void;
}) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const [none, setNone] = useState(false);
  const search = text ? { text } : {};
  const go = async () => {
    onBusy(true);
    setNone(false);
    try {
      const ask = async (after?: Cursor) =>
        client.fetchQuery(
          trpc.executions.logNext.queryOptions({
            tenant,
            executionId,
            level: "ERROR",
            ...search,
            ...(after ? { after } : {}),
          }),
        );
      // After the current line, else again from the first (as the live view wraps around).
      const line = (await ask(from ? cursorOf(from) : undefined)) ?? (from ? await ask() : null);
      if (!line) {
        setNone(true);
        return;
      }
      const around = { tenant, executionId, ...search };
      const [before, after] = await Promise.all([
        client.fetchQuery(
          trpc.executions.logPage.queryOptions({ ...around, before: cursorOf(line), limit: CONTEXT }),
        ),
        client.fetchQuery(
          trpc.executions.logPage.queryOptions({
            ...around,
            after: cursorOf(line),
            limit: WINDOW - CONTEXT - 1,
          }),
        ),
      ]);
      onFound(line, [...before.lines, line, ...after.lines], after.more);
    } finally {
      onBusy(false);
    }
  };
  return (
    <Button variant="plain" onClick={() => void go()} disabled={busy || errors === 0}>
      {none ? "No more errors" : `Next error${errors ? ` (${errors.toLocaleString("en")})` : ""}`}
    </Button>
  );
}
