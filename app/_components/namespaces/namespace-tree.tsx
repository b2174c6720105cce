"use client";
// The tenant's namespaces as a tree (parents implied by their children shown too), searchable, with a form
// to create one ahead of its flows.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "../../_trpc/react";
import { Loading } from "../admin/states";
import { NameDescriptionForm } from "../name-description-form";
import { Card, Empty, ErrorText, Field, Input } from "../ui";

export function NamespaceTree({ tenant }: { tenant: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tree = useQuery(trpc.console.namespaceTree.queryOptions({ tenant }));
  const [q, setQ] = useState("");
  const create = useMutation(
    trpc.namespaces.create.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries() }),
  );
  const shown = (tree.data ?? []).filter((n) => !q || n.id.includes(q.trim()));
  return (
    <>
      <Card label="Namespaces">
        <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
          <Field label="Search">
            <Input
              type="search"
              value={q}
              onChange={(e) => setQ(e.target.value)}
              placeholder="company.team"
              className="w-72"
            />
          </Field>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {tree.data ? `${tree.data.length} namespace${tree.data.length === 1 ? "" : "s"}` : ""}
          </p>
        </div>
        <ErrorText>{tree.error?.message}</ErrorText>
        {tree.isPending ? <Loading what="Loading namespaces" /> : null}
        {tree.data && tree.data.length === 0 ? (
          <Empty>
            No namespace yet. Namespaces appear as flows are saved in them (a flow&apos;s{" "}
            <code>namespace:</code>); create one below to prepare its KV store and secrets before its first
            flow.
          </Empty>
        ) : null}
        {tree.data && tree.data.length > 0 && shown.length === 0 ? (
          <Empty>No namespace matches “{q}”.</Empty>
        ) : null}
        {shown.length > 0 ? (
          <ul aria-label="Namespace tree" className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
            {shown.map((n) => {
              const depth = n.id.split(".").length - 1;
              const leaf = n.id.split(".").pop();
              return (
                <li
                  key={n.id}
                  className="flex items-center gap-3 py-2"
                  style={{ paddingLeft: `${depth * 1.25}rem` }}
                >
                  <span aria-hidden="true" className="text-zinc-400">
                    {depth > 0 ? "└" : "▸"}
                  </span>
                  <Link
                    href={`/namespaces/${encodeURIComponent(n.id)}`}
                    className="font-medium text-brand-700 hover:underline dark:text-brand-100"
                    aria-label={n.id}
                  >
                    {q ? n.id : leaf}
                  </Link>
                  {n.description ? (
                    <span className="truncate text-zinc-600 dark:text-zinc-400">{n.description}</span>
                  ) : null}
                  <span className="ml-auto text-xs text-zinc-500 dark:text-zinc-400">
                    {n.flowCount > 0
                      ? `${n.flowCount} flow${n.flowCount === 1 ? "" : "s"}`
                      : n.stored
                        ? ""
                        : "parent"}
                  </span>
                </li>
              );
            })}
          </ul>
        ) : null}
      </Card>
      <Card title="Create a namespace">
        <NameDescriptionForm
          placeholder="company.team"
          pending={create.isPending}
          error={create.error?.message}
          onCreate={({ name, description }) =>
            create.mutateAsync({ tenant, namespace: name, ...(description ? { description } : {}) })
          }
        />
      </Card>
    </>
  );
}
