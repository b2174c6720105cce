"use client";
// A date as the person asked to see it (their time zone and date format, /account), with the exact ISO
// date in its tooltip. A zone of "browser" is only known once mounted: the server renders UTC and the
// browser re-renders in its own zone, so server and client markup agree.
import { useEffect, useState } from "react";
import { formatDate, formatTime } from "../_lib/format-date";
import { usePreferences } from "./preferences";

export function DateTime({
  iso,
  timeOnly = false,
}: {
  iso: string | Date | number | undefined | null;
  /** The time of day only (hh:mm:ss.mmm), e.g. for log lines. */
  timeOnly?: boolean;
}) {
  const preferences = usePreferences();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (iso === undefined || iso === null || iso === "") return <span className="text-zinc-500">—</span>;
  const shown =
    preferences.timeZone === "browser" && !mounted ? { ...preferences, timeZone: "UTC" } : preferences;
  const date = new Date(iso);
  return (
    <time
      dateTime={date.toISOString()}
      title={formatDate(date, { ...shown, dateFormat: "iso" })}
      className="tabular-nums"
    >
      {timeOnly ? formatTime(date, shown, true) : formatDate(date, shown)}
    </time>
  );
}
