"use client";
// A date in the person's time zone (app/_lib/dates.ts). Rendered in UTC on the server, then in the
// person's zone once mounted, so server and client markup agree.
import { useEffect, useState } from "react";
import { formatDateTime, timeZone } from "../_lib/dates";

export function DateTime({ iso }: { iso: string | undefined | null }) {
  const [zone, setZone] = useState("UTC");
  useEffect(() => setZone(timeZone()), []);
  if (!iso) return <span className="text-zinc-400">—</span>;
  return (
    <time dateTime={iso} title={`${formatDateTime(iso, zone)} (${zone})`} className="tabular-nums">
      {formatDateTime(iso, zone)}
    </time>
  );
}
