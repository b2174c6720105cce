"use client";
// The loading and error states of a page (loading.tsx and error.tsx render these).
import { Button } from "../ui";

export function PageLoading({ title }: { title: string }) {
  return (
    <div className="mx-auto max-w-7xl" aria-busy="true">
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">{title}</h1>
      <div className="space-y-4">
        {[0, 1, 2].map((i) => (
          <div key={i} className="h-32 animate-pulse rounded-xl bg-zinc-200/70 dark:bg-zinc-800/70" />
        ))}
      </div>
      <p className="sr-only">Loading…</p>
    </div>
  );
}

export function PageError({ title, error, reset }: { title: string; error: Error; reset: () => void }) {
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="mb-4 text-2xl font-semibold tracking-tight">{title}</h1>
      <div
        role="alert"
        className="rounded-xl border border-red-200 bg-red-50 p-5 text-sm dark:border-red-900 dark:bg-red-950"
      >
        <p className="font-medium text-red-800 dark:text-red-200">This page could not be loaded.</p>
        <p className="mt-1 text-red-700 dark:text-red-300">
          {error.message || "An unexpected error occurred."}
        </p>
        <Button className="mt-4" variant="plain" onClick={reset}>
          Try again
        </Button>
      </div>
    </div>
  );
}
