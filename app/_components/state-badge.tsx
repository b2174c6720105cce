// An execution or task-run state as Kestra colours it (green success, red failure, blue running...).
const LOOK: Record<string, string> = {
  SUCCESS: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-200",
  WARNING: "bg-amber-100 text-amber-800 dark:bg-amber-900/40 dark:text-amber-200",
  FAILED: "bg-red-100 text-red-800 dark:bg-red-900/40 dark:text-red-200",
  KILLED: "bg-red-100 text-red-800 dark:bg-red-900/40 dark:text-red-200",
  KILLING: "bg-orange-100 text-orange-800 dark:bg-orange-900/40 dark:text-orange-200",
  RUNNING: "bg-sky-100 text-sky-800 dark:bg-sky-900/40 dark:text-sky-200",
  RETRYING: "bg-sky-100 text-sky-800 dark:bg-sky-900/40 dark:text-sky-200",
  PAUSED: "bg-violet-100 text-violet-800 dark:bg-violet-900/40 dark:text-violet-200",
};

export function StateBadge({ state }: { state: string }) {
  return (
    <span
      className={`inline-block rounded px-1.5 py-0.5 text-[11px] font-semibold tracking-wide ${
        LOOK[state] ?? "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
      }`}
    >
      {state}
    </span>
  );
}

export function LabelChip({ label }: { label: { key: string; value: string } }) {
  return (
    <span className="inline-block rounded border border-zinc-200 bg-zinc-50 px-1.5 py-0.5 font-mono text-[11px] text-zinc-700 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
      {label.key}:{String(label.value)}
    </span>
  );
}
