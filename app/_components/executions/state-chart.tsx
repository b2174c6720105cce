// Executions per bucket (hour or day in the person's time zone) stacked by state, as plain SVG: no chart
// library in the page's JavaScript. Buckets without executions are drawn empty so the time axis is true.
import { formatSortable } from "../../_lib/format-date";
import { STATE_COLOR, STATE_ORDER, type StateName } from "./states";

export interface ChartPoint {
  date: Date | string;
  counts: Partial<Record<string, number>>;
}

function keyOf(date: Date, bucket: "hour" | "day", timeZone: string): string {
  const text = formatSortable(date, timeZone, { seconds: false });
  return bucket === "day" ? text.slice(0, 10) : text.slice(0, 13);
}

/** Every bucket between from and to, as keys, in order. */
function bucketsBetween(from: Date, to: Date, bucket: "hour" | "day", timeZone: string): string[] {
  const keys: string[] = [];
  const step = 3_600_000;
  for (let t = from.getTime(); t <= to.getTime(); t += step) {
    const key = keyOf(new Date(t), bucket, timeZone);
    if (keys[keys.length - 1] !== key) keys.push(key);
  }
  return keys;
}

// The axis has 36 units left of the bars: 10,000 would be cut to ".0000", 10K fits.
const COMPACT = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

/** A round axis top with a round middle tick: 1, 2, 4, 10, 20, 40, 100... */
function niceMax(value: number): number {
  const half = value / 2;
  const power = 10 ** Math.floor(Math.log10(half));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= half) ?? 10 * power;
  return Math.max(2, Math.round(step * 2));
}

export function StateChart({
  points,
  bucket,
  from,
  to,
  timeZone,
  height = 140,
  label = "Executions over time by state",
}: {
  points: ChartPoint[];
  bucket: "hour" | "day";
  from: Date;
  to: Date;
  timeZone: string;
  height?: number;
  label?: string;
}) {
  const byKey = new Map<string, Partial<Record<string, number>>>();
  for (const p of points) byKey.set(keyOf(new Date(p.date), bucket, timeZone), p.counts);
  const keys = bucketsBetween(from, to, bucket, timeZone);
  const totals = keys.map((k) => Object.values(byKey.get(k) ?? {}).reduce<number>((s, n) => s + (n ?? 0), 0));
  const max = niceMax(Math.max(1, ...totals));
  const width = 1000;
  const top = 8;
  const bottom = 22;
  const left = 36;
  const plot = height - top - bottom;
  const slot = (width - left) / Math.max(1, keys.length);
  const bar = Math.max(2, slot * 0.7);
  const present = STATE_ORDER.filter((s) => points.some((p) => (p.counts[s] ?? 0) > 0));
  const labelEvery = Math.ceil(keys.length / 12);
  return (
    <figure aria-label={label} className="w-full">
      <svg viewBox={`0 0 ${width} ${height}`} className="h-auto w-full" role="img" aria-label={label}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line
              x1={left}
              x2={width}
              y1={top + plot * (1 - f)}
              y2={top + plot * (1 - f)}
              className="stroke-zinc-200 dark:stroke-zinc-800"
              strokeWidth={1}
            />
            <text
              x={left - 6}
              y={top + plot * (1 - f) + 4}
              textAnchor="end"
              className="fill-zinc-500 text-[11px]"
            >
              {COMPACT.format(Math.round(max * f))}
            </text>
          </g>
        ))}
        {keys.map((key, i) => {
          const counts = byKey.get(key) ?? {};
          let y = top + plot;
          const x = left + i * slot + (slot - bar) / 2;
          return (
            <g key={key}>
              <title>
                {`${key}${bucket === "hour" ? ":00" : ""} — ${totals[i]} execution${totals[i] === 1 ? "" : "s"}${STATE_ORDER.filter(
                  (s) => counts[s],
                )
                  .map((s) => `\n${s}: ${counts[s]}`)
                  .join("")}`}
              </title>
              <rect x={left + i * slot} y={top} width={slot} height={plot} fill="transparent" />
              {STATE_ORDER.map((state) => {
                const n = counts[state] ?? 0;
                if (!n) return null;
                const h = (n / max) * plot;
                y -= h;
                return <rect key={state} x={x} y={y} width={bar} height={h} fill={STATE_COLOR[state]} />;
              })}
              {i % labelEvery === 0 ? (
                <text
                  x={x + bar / 2}
                  y={height - 6}
                  textAnchor="middle"
                  className="fill-zinc-500 text-[11px]"
                >
                  {bucket === "day" ? key.slice(5) : `${key.slice(11)}h`}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-1 flex flex-wrap gap-3 text-xs text-zinc-600 dark:text-zinc-400">
        {present.length === 0 ? <span>No executions in this period.</span> : null}
        {present.map((s: StateName) => (
          <span key={s} className="inline-flex items-center gap-1">
            <span className="inline-block size-2.5 rounded-sm" style={{ background: STATE_COLOR[s] }} />
            {s}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
