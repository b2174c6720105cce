"use client";
import { PageError } from "../_components/executions/page-states";

export default function ErrorPage({ error, reset }: { error: Error; reset: () => void }) {
  return <PageError title="Executions" error={error} reset={reset} />;
}
