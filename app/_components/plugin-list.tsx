"use client";
// The plugin list of /plugins, searchable by name, type or title, grouped by package.
import Link from "next/link";
import { useState } from "react";
import type { PluginSummary } from "@/server/services/plugin-docs";
import { Inline } from "./inline";
import { Empty, Field, Input } from "./ui";

const KIND: Record<string, string> = {
  runnable: "task",
  flowable: "flowable",
  trigger: "trigger",
  condition: "condition",
};

export function PluginList({ plugins }: { plugins: PluginSummary[] }) {
  const [q, setQ] = useState("");
  const words = q.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const shown = plugins.filter((p) => {
    const text = `${p.names.join(" ")} ${p.title}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
  const groups = [...new Set(shown.map((p) => p.group))];
  return (
    <>
      <div className="mb-6">
        <Field label="Search plugins">
          <Input
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="subflow, http, python…"
            className="w-96"
          />
        </Field>
      </div>
      {shown.length === 0 ? <Empty>No plugin matches “{q}”.</Empty> : null}
      <div className="grid gap-6 md:grid-cols-2">
        {groups.map((group) => (
          <section
            key={group}
            aria-label={group}
            className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
          >
            <h2 className="mb-2 font-mono text-sm font-semibold">{group}</h2>
            <ul className="space-y-1.5 text-sm">
              {shown
                .filter((p) => p.group === group)
                .map((p) => (
                  <li key={p.type}>
                    <Link
                      href={`/plugins/${encodeURIComponent(p.type)}`}
                      className="font-medium text-brand-700 hover:underline dark:text-brand-100"
                    >
                      {p.name}
                    </Link>{" "}
                    <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                      {KIND[p.kind] ?? p.kind}
                    </span>
                    {p.deprecated ? (
                      <span className="ml-1 text-xs text-amber-800 dark:text-amber-300">deprecated</span>
                    ) : null}
                    <span className="block text-zinc-600 dark:text-zinc-400">
                      <Inline text={p.title} />
                    </span>
                  </li>
                ))}
            </ul>
          </section>
        ))}
      </div>
    </>
  );
}
