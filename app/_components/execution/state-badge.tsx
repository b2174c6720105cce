// An execution or task-run state as a coloured badge (Kestra's colours: green success, red failure...).
export const TERMINAL = new Set(["SUCCESS", "WARNING", "FAILED", "KILLED", "CANCELLED", "SKIPPED"]);

const COLORS: Record<string, string> = {
  SUCCESS: "bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-300",
  WARNING: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  FAILED: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  KILLED: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
  KILLING: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
  CANCELLED: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  SKIPPED: "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400",
  RUNNING: "bg-blue-100 text-blue-800 dark:bg-blue-950 dark:text-blue-300",
  PAUSED: "bg-purple-100 text-purple-800 dark:bg-purple-950 dark:text-purple-300",
  CREATED: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
  QUEUED: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
  RETRYING: "bg-orange-100 text-orange-800 dark:bg-orange-950 dark:text-orange-300",
};

export function StateBadge({ state, large }: { state: string; large?: boolean }) {
  return (
    <span
      data-state={state}
      className={`inline-flex items-center rounded-full font-semibold uppercase tracking-wide ${large ? "px-2.5 py-0.5 text-xs" : "px-2 py-0.5 text-[10px]"} ${COLORS[state] ?? "bg-zinc-100 text-zinc-700"}`}
    >
      {state === "RUNNING" ? (
        <span aria-hidden className="mr-1 size-1.5 animate-pulse rounded-full bg-current" />
      ) : null}
      {state}
    </span>
  );
}
