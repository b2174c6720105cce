"use client";
// The gallery: Cadenza's blueprints and the tenant's own, as cards, with search and tag filters kept in the
// URL (?tab=custom&q=approval&tags=HTTP,Retries) so every view is a link.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { badgeType } from "../../_components/topology/layout";
import { Button, ErrorText } from "../../_components/ui";
import { useTRPC } from "../../_trpc/react";
import { NewBlueprintDialog } from "./new-blueprint";

export type Tab = "community" | "custom";

interface Summary {
  id: string;
  kind: Tab;
  title: string;
  excerpt: string;
  tags: string[];
  includedTasks: string[];
}

export function Gallery({ tenant, canWrite }: { tenant: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const tab: Tab = params.get("tab") === "custom" ? "custom" : "community";
  const q = params.get("q") ?? "";
  const tags = (params.get("tags") ?? "").split(",").filter(Boolean);
  const [text, setText] = useState(q);
  const [creating, setCreating] = useState(false);

  const go = (next: { tab?: Tab; q?: string; tags?: string[] }) => {
    const search = new URLSearchParams();
    const nextTab = next.tab ?? tab;
    const nextQ = next.q ?? q;
    const nextTags = next.tags ?? tags;
    if (nextTab === "custom") search.set("tab", "custom");
    if (nextQ) search.set("q", nextQ);
    if (nextTags.length > 0) search.set("tags", nextTags.join(","));
    const query = search.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };

  // Typing searches after a pause; the URL follows.
  useEffect(() => {
    if (text === q) return;
    const timer = setTimeout(() => go({ q: text.trim() }), 250);
    return () => clearTimeout(timer);
  });
  useEffect(() => setText(q), [q]);

  const search = { tenant, q: q || undefined, tags: tags.length > 0 ? tags : undefined };
  const results = useQuery(
    tab === "community"
      ? trpc.blueprints.communitySearch.queryOptions(search)
      : trpc.blueprints.customSearch.queryOptions(search),
  );
  const allTags = useQuery(
    tab === "community"
      ? trpc.blueprints.communityTags.queryOptions({ tenant })
      : trpc.blueprints.customTags.queryOptions({ tenant }),
  );
  const toggle = (tag: string) =>
    go({ tags: tags.includes(tag) ? tags.filter((t) => t !== tag) : [...tags, tag] });
  const list = (results.data ?? []) as Summary[];

  return (
    <div>
      <div
        role="tablist"
        aria-label="Blueprint sources"
        className="mb-4 flex gap-1 border-b border-zinc-200 dark:border-zinc-800"
      >
        {(
          [
            ["community", "Cadenza blueprints"],
            ["custom", "This tenant's blueprints"],
          ] as const
        ).map(([value, label]) => (
          <button
            key={value}
            type="button"
            role="tab"
            aria-selected={tab === value}
            onClick={() => go({ tab: value, tags: [] })}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
              tab === value
                ? "border-brand-600 text-brand-700 dark:text-brand-100"
                : "border-transparent text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200"
            }`}
          >
            {label}
          </button>
        ))}
      </div>

      <div className="mb-3 flex flex-wrap items-center gap-3">
        <input
          type="search"
          aria-label="Search blueprints"
          placeholder="Search by title, description, tag or task type…"
          value={text}
          onChange={(event) => setText(event.target.value)}
          className="w-full max-w-md rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm outline-none focus:border-brand-500 dark:border-zinc-700 dark:bg-zinc-950"
        />
        {tab === "custom" && canWrite ? (
          <Button onClick={() => setCreating(true)}>New blueprint</Button>
        ) : null}
        <span className="ml-auto text-sm text-zinc-500" aria-live="polite">
          {results.isSuccess ? `${list.length} blueprint${list.length === 1 ? "" : "s"}` : ""}
        </span>
      </div>

      {allTags.data && allTags.data.length > 0 ? (
        <fieldset className="mb-5 flex flex-wrap gap-1.5" aria-label="Filter by tag">
          {allTags.data.map((tag) => {
            const on = tags.includes(tag.name);
            return (
              <button
                key={tag.name}
                type="button"
                aria-pressed={on}
                onClick={() => toggle(tag.name)}
                className={`rounded-full border px-2.5 py-0.5 text-xs ${
                  on
                    ? "border-brand-600 bg-brand-600 text-white"
                    : "border-zinc-300 bg-white text-zinc-700 hover:border-brand-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300"
                }`}
              >
                {tag.name} <span className={on ? "text-brand-100" : "text-zinc-400"}>{tag.count}</span>
              </button>
            );
          })}
          {tags.length > 0 ? (
            <button
              type="button"
              onClick={() => go({ tags: [] })}
              className="px-2 text-xs text-brand-600 hover:underline"
            >
              Clear filters
            </button>
          ) : null}
        </fieldset>
      ) : null}

      {results.isPending ? (
        <CardSkeletons />
      ) : results.isError ? (
        <div className="rounded-xl border border-red-200 bg-red-50 p-5 dark:border-red-900 dark:bg-red-950/40">
          <ErrorText>Could not load the blueprints: {results.error.message}</ErrorText>
          <Button variant="plain" className="mt-3" onClick={() => void results.refetch()}>
            Try again
          </Button>
        </div>
      ) : list.length === 0 ? (
        <EmptyResults
          tab={tab}
          filtered={Boolean(q) || tags.length > 0}
          onClear={() => go({ q: "", tags: [] })}
        />
      ) : (
        <ul className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-3" aria-label="Blueprints">
          {list.map((b) => (
            <li key={b.id}>
              <BlueprintCard blueprint={b} />
            </li>
          ))}
        </ul>
      )}
      {creating ? <NewBlueprintDialog tenant={tenant} onClose={() => setCreating(false)} /> : null}
    </div>
  );
}

function BlueprintCard({ blueprint }: { blueprint: Summary }) {
  const types = [...new Set(blueprint.includedTasks.map(badgeType))];
  const shown = types.slice(0, 5);
  return (
    <Link
      href={`/blueprints/${blueprint.kind}/${encodeURIComponent(blueprint.id)}`}
      className="flex h-full flex-col rounded-xl border border-zinc-200 bg-white p-4 transition hover:border-brand-500 hover:shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 className="font-semibold leading-snug">{blueprint.title}</h2>
      <p className="mt-1.5 line-clamp-3 text-sm text-zinc-600 dark:text-zinc-400">{blueprint.excerpt}</p>
      <div className="mt-3 flex flex-wrap gap-1">
        {shown.map((type) => (
          <span
            key={type}
            title={blueprint.includedTasks.find((t) => badgeType(t) === type)}
            className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
          >
            {type}
          </span>
        ))}
        {types.length > shown.length ? (
          <span className="px-1 py-0.5 text-[11px] text-zinc-500">+{types.length - shown.length}</span>
        ) : null}
      </div>
      <div className="mt-auto flex flex-wrap gap-1 pt-3">
        {blueprint.tags.map((tag) => (
          <span
            key={tag}
            className="rounded-full bg-brand-50 px-2 py-0.5 text-[11px] font-medium text-brand-700 dark:bg-brand-700/30 dark:text-brand-100"
          >
            {tag}
          </span>
        ))}
      </div>
    </Link>
  );
}

function CardSkeletons() {
  return (
    <div
      role="status"
      aria-busy
      aria-label="Loading blueprints"
      className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-3"
    >
      {["a", "b", "c", "d", "e", "f"].map((k) => (
        <div
          key={k}
          className="h-40 animate-pulse rounded-xl border border-zinc-200 bg-zinc-100 dark:border-zinc-800 dark:bg-zinc-900"
        />
      ))}
    </div>
  );
}

function EmptyResults({ tab, filtered, onClear }: { tab: Tab; filtered: boolean; onClear: () => void }) {
  return (
    <div className="rounded-xl border border-dashed border-zinc-300 bg-white p-8 text-sm dark:border-zinc-700 dark:bg-zinc-900">
      {filtered ? (
        <>
          <p className="font-medium">No blueprint matches.</p>
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">Try fewer words or tags.</p>
          <Button variant="plain" className="mt-3" onClick={onClear}>
            Clear the search
          </Button>
        </>
      ) : tab === "custom" ? (
        <>
          <p className="font-medium">This tenant has no blueprints yet.</p>
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">
            Save a flow your team should start from — its YAML, a title and a description — with{" "}
            <strong>New blueprint</strong>, or{" "}
            <code className="font-mono">POST /api/v1/&#123;tenant&#125;/blueprints/custom</code>. Editors and
            Admins can add them; everyone in the tenant can use them.
          </p>
        </>
      ) : (
        <p>No blueprints are installed.</p>
      )}
    </div>
  );
}
