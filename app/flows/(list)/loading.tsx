export default function Loading() {
  return (
    <div className="mx-auto max-w-7xl animate-pulse" role="status" aria-busy="true" aria-label="Loading">
      <div className="mb-2 h-7 w-40 rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="mb-8 h-4 w-96 rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="h-64 rounded-xl bg-zinc-100 dark:bg-zinc-900" />
    </div>
  );
}
