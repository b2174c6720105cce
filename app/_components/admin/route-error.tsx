"use client";
// What a console route shows when its server part fails: the message (never a stack) and a retry.
import { Button } from "../ui";

export function RouteError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div
      role="alert"
      className="mx-auto max-w-xl rounded-xl border border-red-300 bg-red-50 p-6 dark:border-red-800 dark:bg-red-950"
    >
      <h1 className="text-lg font-semibold text-red-800 dark:text-red-200">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-red-800 dark:text-red-200">
        {error.digest ? "The server failed while preparing it; the details are in its log." : error.message}
      </p>
      <Button className="mt-4" variant="plain" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
