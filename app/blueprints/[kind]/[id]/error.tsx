"use client";
import { Button } from "../../../_components/ui";

export default function BlueprintsError({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <div className="mx-auto max-w-3xl rounded-xl border border-red-200 bg-red-50 p-6 dark:border-red-900 dark:bg-red-950/40">
      <h1 className="font-semibold">The blueprint could not be shown.</h1>
      <p className="mt-1 text-sm text-red-700 dark:text-red-300">{error.message}</p>
      <Button variant="plain" className="mt-3" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
