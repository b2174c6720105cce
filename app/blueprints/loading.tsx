export default function Loading() {
  return (
    <div className="mx-auto max-w-6xl" role="status" aria-busy aria-label="Loading blueprints">
      <div className="mb-6 h-8 w-48 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-3">
        {["a", "b", "c"].map((k) => (
          <div key={k} className="h-40 animate-pulse rounded-xl bg-zinc-200 dark:bg-zinc-800" />
        ))}
      </div>
    </div>
  );
}
