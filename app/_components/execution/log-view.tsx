"use client";
// Log lines in a fixed-height box that renders only the rows on screen (own windowing: fixed row height,
// one line each, long lines scroll sideways), so a long log never floods the DOM. Follows the tail while
// the execution runs, unless the reader has scrolled up. Rows may include group headers (logs by task),
// and `jumpTo` scrolls a row into view (next error).
import { useEffect, useRef, useState } from "react";
import { DateTime } from "../date-time";

export interface LogLine {
  id: string;
  taskId: string | null;
  taskRunId?: string | null;
  level: string;
  message: string;
  timestamp: string;
}

export type LogRow = LogLine | { group: string; count: number };

const ROW = 20;
const LEVEL: Record<string, string> = {
  ERROR: "text-red-600 dark:text-red-400",
  WARN: "text-amber-600 dark:text-amber-400",
  INFO: "text-sky-700 dark:text-sky-400",
  DEBUG: "text-zinc-500",
  TRACE: "text-zinc-400",
};

export function LogView({
  lines,
  follow,
  height = 360,
  jumpTo,
  highlight,
  pinToEnd = true,
  empty = "No logs yet.",
}: {
  /** What an empty log says (an ended execution's differs from a running one's). */
  empty?: string;
  lines: LogRow[];
  follow: boolean;
  /** Whether the view starts at (and keeps to) the last line; a window read from the server starts at its top. */
  pinToEnd?: boolean;
  height?: number;
  /** Scroll this row to the top (a new object each time, so the same row can be jumped to again). */
  jumpTo?: { index: number };
  /** The row shown as current (after a jump). */
  highlight?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const pinned = useRef(pinToEnd);
  useEffect(() => {
    const el = box.current;
    if (el && pinned.current && (follow || lines.length > 0)) el.scrollTop = el.scrollHeight;
  }, [lines.length, follow]);
  useEffect(() => {
    const el = box.current;
    if (!el || !jumpTo) return;
    pinned.current = false;
    el.scrollTop = Math.max(0, jumpTo.index * ROW - ROW * 2);
    setTop(el.scrollTop);
  }, [jumpTo]);
  if (lines.length === 0)
    return (
      <p className="text-sm text-zinc-500" data-testid="no-logs">
        {empty}
      </p>
    );
  const first = Math.max(0, Math.floor(top / ROW) - 10);
  const last = Math.min(lines.length, Math.ceil((top + height) / ROW) + 10);
  return (
    <div
      ref={box}
      role="log"
      aria-label="Execution logs"
      onScroll={(e) => {
        const el = e.currentTarget;
        setTop(el.scrollTop);
        pinned.current = pinToEnd && el.scrollTop + el.clientHeight >= el.scrollHeight - ROW;
      }}
      className="overflow-auto rounded-md bg-zinc-950 py-1.5 font-mono text-xs text-zinc-100"
      style={{ maxHeight: height }}
    >
      <div style={{ height: lines.length * ROW, position: "relative", minWidth: "100%" }}>
        {lines.slice(first, last).map((line, offset) => {
          const index = first + offset;
          if ("group" in line)
            return (
              <div
                key={`group-${line.group}`}
                className="absolute left-0 w-full bg-zinc-800 px-3 font-semibold text-zinc-200"
                style={{ top: index * ROW, height: ROW, lineHeight: `${ROW}px` }}
              >
                {line.group} <span className="font-normal text-zinc-400">({line.count})</span>
              </div>
            );
          return (
            <div
              key={line.id}
              data-level={line.level}
              className={`absolute left-0 flex gap-3 whitespace-pre px-3 ${highlight === index ? "bg-red-950/70" : ""}`}
              style={{ top: index * ROW, height: ROW, lineHeight: `${ROW}px` }}
            >
              <span className="text-zinc-500">
                <DateTime iso={line.timestamp} timeOnly />
              </span>
              <span className={`w-12 ${LEVEL[line.level] ?? ""}`}>{line.level}</span>
              <span className="w-24 shrink-0 truncate text-zinc-400" title={line.taskId ?? undefined}>
                {line.taskId ?? ""}
              </span>
              <span data-log-message>{line.message}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
