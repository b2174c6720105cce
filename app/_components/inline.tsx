import { Fragment } from "react";

/** Text with `code` spans, as the page descriptions in sections.ts are written. */
export function Inline({ text }: { text: string }) {
  return (
    <>
      {text.split("`").map((part, i) =>
        i % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of a fixed string never reorder
          <code key={i} className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.9em] dark:bg-zinc-800">
            {part}
          </code>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of a fixed string never reorder
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}
