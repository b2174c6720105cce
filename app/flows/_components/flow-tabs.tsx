"use client";
// The flow page's tabs, each a deep link (/flows/{namespace}/{id}/{tab}).
import Link from "next/link";

import { FLOW_TABS, type FlowTab } from "./flow-tab-list";

export function FlowTabs({ base, current }: { base: string; current: FlowTab }) {
  return (
    <nav aria-label="Flow" className="mb-4 flex gap-1 border-b border-zinc-200 text-sm dark:border-zinc-800">
      {FLOW_TABS.map((tab) => (
        <Link
          key={tab.id}
          href={tab.id === "overview" ? base : `${base}/${tab.id}`}
          aria-current={tab.id === current ? "page" : undefined}
          className={`-mb-px border-b-2 px-3 py-2 ${
            tab.id === current
              ? "border-brand-600 font-medium text-brand-700 dark:text-brand-100"
              : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
          }`}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
