"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { type Section, sections } from "./sections";

const groups: Section["group"][] = ["Orchestrate", "Organise", "Administer"];

export function Nav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-col gap-6 text-sm">
      {groups.map((group) => (
        <div key={group}>
          <p className="px-3 pb-1 text-xs font-semibold uppercase tracking-wider text-zinc-500 dark:text-zinc-400">
            {group}
          </p>
          <ul className="flex flex-col gap-0.5">
            {sections
              .filter((s) => s.group === group)
              .map((s) => {
                const active = pathname === s.href || pathname.startsWith(`${s.href}/`);
                return (
                  <li key={s.href}>
                    <Link
                      href={s.href}
                      aria-current={active ? "page" : undefined}
                      className={`block rounded-md px-3 py-1.5 transition-colors ${
                        active
                          ? "bg-brand-100 font-medium text-brand-700 dark:bg-brand-700/30 dark:text-brand-100"
                          : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
                      }`}
                    >
                      {s.label}
                    </Link>
                  </li>
                );
              })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
