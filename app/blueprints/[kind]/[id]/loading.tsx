export default function Loading() {
  return (
    <div className="mx-auto max-w-6xl" role="status" aria-busy aria-label="Loading the blueprint">
      <div className="mt-8 h-8 w-2/3 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="mt-6 h-64 animate-pulse rounded-xl bg-zinc-200 dark:bg-zinc-800" />
    </div>
  );
}
