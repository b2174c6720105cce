import { Inline } from "./inline";
import type { Section } from "./sections";

/** A page that is not built yet: what it will do, and what to do today. */
export function EmptyState({ section }: { section: Section }) {
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="text-2xl font-semibold tracking-tight">{section.label}</h1>
      <p className="mt-1 text-zinc-600 dark:text-zinc-400">
        <Inline text={section.purpose} />
      </p>
      <div className="mt-8 rounded-xl border border-dashed border-zinc-300 bg-white p-8 dark:border-zinc-700 dark:bg-zinc-900">
        <p className="inline-block rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-900/40 dark:text-amber-200">
          Not built yet
        </p>
        <h2 className="mt-4 font-medium">This page will</h2>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-zinc-700 dark:text-zinc-300">
          {section.willDo.map((item) => (
            <li key={item}>
              <Inline text={item} />
            </li>
          ))}
        </ul>
        <h2 className="mt-6 font-medium">What you can do now</h2>
        <p className="mt-2 text-zinc-700 dark:text-zinc-300">
          <Inline text={section.now} />
        </p>
      </div>
    </div>
  );
}
