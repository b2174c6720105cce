"use client";
// The editor and the revisions diff load Monaco, React Flow and their workers only when shown: the flows
// list and the other tabs never ship them.
import dynamic from "next/dynamic";

function Loading({ what }: { what: string }) {
  return (
    <div className="flex h-[calc(100vh-12rem)] min-h-[480px] items-center justify-center rounded-xl border border-zinc-200 bg-white text-sm text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900">
      Loading the {what}…
    </div>
  );
}

export const FlowEditor = dynamic(() => import("./editor/flow-editor"), {
  ssr: false,
  loading: () => <Loading what="editor" />,
});

export const RevisionsDiff = dynamic(() => import("./editor/revisions-diff"), {
  ssr: false,
  loading: () => <Loading what="comparison" />,
});
