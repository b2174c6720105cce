export default function Loading() {
  return (
    <div className="mx-auto max-w-6xl animate-pulse" role="status" aria-busy="true" aria-label="Loading">
      <div className="mb-2 h-4 w-48 rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="mb-4 h-7 w-64 rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="mb-4 h-9 w-full rounded bg-zinc-100 dark:bg-zinc-900" />
      <div className="h-96 rounded-xl bg-zinc-100 dark:bg-zinc-900" />
    </div>
  );
}
