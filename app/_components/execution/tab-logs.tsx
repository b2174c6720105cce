"use client";
// Logs: the shared live lines, filtered by minimum level and text, in time order or grouped by task,
// windowed (log-view.tsx), following the tail while running; jump to the next error; download the whole
// log (`GET /logs/{id}/download`). A filter says how many lines of how many it shows. A log longer than the
// lines the page keeps (LIVE_LOG_LINES) is read from the server a window at a time instead (ServerLogs):
// filter, search, next error and the counts are then queries, so a million lines never reach the browser.
import { useMemo, useState } from "react";
import type { LogPage } from "@/server/services/execution-logs";
import { Button, Input, Select } from "../ui";
import type { TabProps } from "./execution-page";
import { LIVE_LOG_LINES } from "./live";
import { type LogRow, LogView } from "./log-view";
import { ServerLogs } from "./server-logs";

const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"] as const;

export function LogsTab({ initialPage, ...props }: TabProps & { initialPage?: LogPage }) {
  // Past what the page keeps (the stream starts with that many, so a shorter log arrives whole), the
  // server's window. Until the count is known: the server's window when the page came with a first window
  // that is not the whole log (its first screen is then in the HTML), else the lines at hand.
  const long = props.logTotal !== undefined ? props.logTotal > LIVE_LOG_LINES : Boolean(initialPage?.more);
  if (long) return <ServerLogs {...props} {...(initialPage ? { initialPage } : {})} />;
  return <LiveLogs {...props} />;
}

function LiveLogs({ tenant, execution, logs, running }: TabProps) {
  const [level, setLevel] = useState<string>("TRACE");
  const [text, setText] = useState("");
  const [grouped, setGrouped] = useState(false);
  const [jump, setJump] = useState<{ index: number }>();
  const filtered = useMemo(() => {
    const min = LEVELS.indexOf(level as (typeof LEVELS)[number]);
    const needle = text.trim().toLowerCase();
    return logs.filter(
      (line) =>
        LEVELS.indexOf(line.level as (typeof LEVELS)[number]) >= min &&
        (!needle ||
          line.message.toLowerCase().includes(needle) ||
          (line.taskId ?? "").toLowerCase().includes(needle)),
    );
  }, [logs, level, text]);
  const rows = useMemo<LogRow[]>(() => {
    if (!grouped) return filtered;
    const groups = new Map<string, typeof filtered>();
    for (const line of filtered) {
      const key = line.taskId ?? "(execution)";
      groups.set(key, [...(groups.get(key) ?? []), line]);
    }
    return [...groups].flatMap(([group, lines]) => [{ group, count: lines.length }, ...lines]);
  }, [filtered, grouped]);
  const errors = useMemo(
    () => rows.flatMap((row, index) => ("level" in row && row.level === "ERROR" ? [index] : [])),
    [rows],
  );
  const nextError = () => {
    if (errors.length === 0) return;
    const after = errors.find((index) => index > (jump?.index ?? -1)) ?? errors[0];
    setJump({ index: after as number });
  };
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
          onChange={(e) => setLevel(e.target.value)}
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
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="w-56"
        />
        <label className="flex items-center gap-1 text-sm">
          <input type="checkbox" checked={grouped} onChange={(e) => setGrouped(e.target.checked)} />
          By task
        </label>
        <Button variant="plain" onClick={nextError} disabled={errors.length === 0}>
          Next error{errors.length ? ` (${errors.length})` : ""}
        </Button>
        <a
          href={`/api/v1/${encodeURIComponent(tenant)}/logs/${encodeURIComponent(execution.id)}/download`}
          className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800"
          download
        >
          Download
        </a>
        <span className="ml-auto text-xs text-zinc-500" aria-live="polite">
          {filtered.length === logs.length
            ? `${logs.length} lines`
            : `${filtered.length} of ${logs.length} lines`}
          {running ? " · following" : ""}
        </span>
      </div>
      <LogView
        lines={rows}
        follow={running && !jump}
        height={560}
        empty={
          running
            ? "No logs yet."
            : logs.length === 0
              ? "This execution wrote no logs."
              : "No line matches this level and search."
        }
        {...(jump ? { jumpTo: jump, highlight: jump.index } : {})}
      />
    </div>
  );
}
