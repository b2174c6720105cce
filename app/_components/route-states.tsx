"use client";
// What a route shows while its server part loads (loading.tsx) and when it fails (error.tsx): every
// route uses these two, so a failure reads the same everywhere — its message (never a stack) and a retry.
import { Button } from "./ui";

export function RouteError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div
      role="alert"
      className="mx-auto max-w-xl rounded-xl border border-red-300 bg-red-50 p-6 dark:border-red-800 dark:bg-red-950"
    >
      <h1 className="text-lg font-semibold text-red-800 dark:text-red-200">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-red-800 dark:text-red-200">
        {error.digest
          ? "The server failed while preparing it; the details are in its log."
          : error.message || "An unexpected error occurred."}
      </p>
      {error.digest ? (
        <p className="mt-1 font-mono text-xs text-red-800 dark:text-red-200">Reference: {error.digest}</p>
      ) : null}
      <Button className="mt-4" variant="plain" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}

/** A page's skeleton while it loads: its title and a few placeholder blocks. */
export function RouteLoading({ title }: { title?: string }) {
  return (
    <div className="mx-auto max-w-7xl" aria-busy="true">
      {title ? <h1 className="mb-6 text-2xl font-semibold tracking-tight">{title}</h1> : null}
      <div className="space-y-4">
        {[0, 1, 2].map((i) => (
          <div key={i} className="h-32 animate-pulse rounded-xl bg-zinc-200/70 dark:bg-zinc-800/70" />
        ))}
      </div>
      <p role="status" className="sr-only">
        Loading…
      </p>
    </div>
  );
}
