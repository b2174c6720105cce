// Execution states: their colours (one palette for badges and charts, as Kestra's) and groups.
export const STATE_ORDER = [
  "SUCCESS",
  "WARNING",
  "FAILED",
  "KILLED",
  "CANCELLED",
  "SKIPPED",
  "RETRIED",
  "RUNNING",
  "RETRYING",
  "PAUSED",
  "KILLING",
  "RESTARTED",
  "QUEUED",
  "CREATED",
] as const;
export type StateName = (typeof STATE_ORDER)[number];

/** Chart fill colours. */
export const STATE_COLOR: Record<StateName, string> = {
  SUCCESS: "#16a34a",
  WARNING: "#d97706",
  FAILED: "#dc2626",
  KILLED: "#6b7280",
  CANCELLED: "#9ca3af",
  SKIPPED: "#a1a1aa",
  RETRIED: "#a855f7",
  RUNNING: "#2563eb",
  RETRYING: "#7c3aed",
  PAUSED: "#0891b2",
  KILLING: "#f43f5e",
  RESTARTED: "#6366f1",
  QUEUED: "#94a3b8",
  CREATED: "#cbd5e1",
};

/** Badge classes (text readable in light and dark). */
export const STATE_BADGE: Record<StateName, string> = {
  SUCCESS: "bg-green-100 text-green-800 dark:bg-green-900/40 dark:text-green-200",
  WARNING: "bg-amber-100 text-amber-800 dark:bg-amber-900/40 dark:text-amber-200",
  FAILED: "bg-red-100 text-red-800 dark:bg-red-900/40 dark:text-red-200",
  KILLED: "bg-zinc-200 text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200",
  CANCELLED: "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300",
  SKIPPED: "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300",
  RETRIED: "bg-purple-100 text-purple-800 dark:bg-purple-900/40 dark:text-purple-200",
  RUNNING: "bg-blue-100 text-blue-800 dark:bg-blue-900/40 dark:text-blue-200",
  RETRYING: "bg-violet-100 text-violet-800 dark:bg-violet-900/40 dark:text-violet-200",
  PAUSED: "bg-cyan-100 text-cyan-800 dark:bg-cyan-900/40 dark:text-cyan-200",
  KILLING: "bg-rose-100 text-rose-800 dark:bg-rose-900/40 dark:text-rose-200",
  RESTARTED: "bg-indigo-100 text-indigo-800 dark:bg-indigo-900/40 dark:text-indigo-200",
  QUEUED: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200",
  CREATED: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200",
};

export const TERMINAL = new Set<string>([
  "SUCCESS",
  "WARNING",
  "FAILED",
  "KILLED",
  "CANCELLED",
  "SKIPPED",
  "RETRIED",
]);

export function StateBadge({ state }: { state: string }) {
  const look = STATE_BADGE[state as StateName] ?? STATE_BADGE.CREATED;
  return (
    <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-semibold tracking-wide ${look}`}>
      {state}
    </span>
  );
}
