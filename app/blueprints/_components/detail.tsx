"use client";
// One blueprint: its description, topology and source, and "Use", which opens the flow editor prefilled
// with it (/flows/new?blueprint=<kind>/<id>&namespace=<namespace>) once a namespace is chosen.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Dialog } from "@/app/_components/dialog";
import { Markdown } from "@/app/_components/markdown";
import { badgeType } from "../../_components/topology/layout";
import { Topology } from "../../_components/topology/topology";
import { Button, ErrorText, Field, Input } from "../../_components/ui";
import { useTRPC } from "../../_trpc/react";
import type { Tab } from "./gallery";

const NAMESPACE = /^[a-z0-9][a-z0-9._-]*$/;

export function BlueprintDetail({
  tenant,
  kind,
  id,
  canWrite,
}: {
  tenant: string;
  kind: Tab;
  id: string;
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const query = useQuery(
    kind === "community"
      ? trpc.blueprints.community.queryOptions({ tenant, id })
      : trpc.blueprints.custom.queryOptions({ tenant, id }),
  );
  const [using, setUsing] = useState(false);
  const back = (
    <Link
      href={kind === "custom" ? "/blueprints?tab=custom" : "/blueprints"}
      className="text-sm text-brand-600 hover:underline"
    >
      ← All blueprints
    </Link>
  );

  if (query.isPending) return <DetailSkeleton back={back} />;
  if (query.isError) {
    const missing = query.error.data?.code === "NOT_FOUND";
    return (
      <div className="mx-auto max-w-5xl">
        {back}
        <div className="mt-4 rounded-xl border border-red-200 bg-red-50 p-6 dark:border-red-900 dark:bg-red-950/40">
          <h1 className="font-semibold">
            {missing ? "This blueprint does not exist." : "Could not load the blueprint."}
          </h1>
          <ErrorText>{query.error.message}</ErrorText>
          {missing ? null : (
            <Button variant="plain" className="mt-3" onClick={() => void query.refetch()}>
              Try again
            </Button>
          )}
        </div>
      </div>
    );
  }
  const b = query.data;
  return (
    <div className="mx-auto max-w-6xl">
      {back}
      <header className="mt-3 mb-5 flex flex-wrap items-start gap-4">
        <div className="min-w-0 flex-1">
          <p className="text-xs font-medium uppercase tracking-wide text-zinc-500">
            {kind === "community" ? "Cadenza blueprint · tested in CI" : "Blueprint of this tenant"}
          </p>
          <h1 className="mt-1 text-2xl font-semibold tracking-tight">{b.title}</h1>
          <div className="mt-2 flex flex-wrap gap-1">
            {b.tags.map((tag) => (
              <Link
                key={tag}
                href={`/blueprints?${new URLSearchParams({ ...(kind === "custom" ? { tab: "custom" } : {}), tags: tag })}`}
                className="rounded-full bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700 hover:underline dark:bg-brand-700/30 dark:text-brand-100"
              >
                {tag}
              </Link>
            ))}
          </div>
        </div>
        <div className="flex gap-2">
          {kind === "custom" && canWrite ? <DeleteButton tenant={tenant} id={id} /> : null}
          <Button onClick={() => setUsing(true)}>Use this blueprint</Button>
        </div>
      </header>

      <section aria-label="Topology" className="mb-6">
        <h2 className="mb-2 text-sm font-semibold">Topology</h2>
        <Topology graph={b.graph} label={`Topology of ${b.flowId}`} />
      </section>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-5">
        <section aria-label="Description" className="lg:col-span-2">
          {b.description ? (
            <Markdown source={b.description} />
          ) : (
            <p className="text-sm text-zinc-500">No description.</p>
          )}
          {b.exampleInputs && Object.keys(b.exampleInputs).length > 0 ? (
            <div className="mt-5">
              <h2 className="mb-1 text-sm font-semibold">Try it with these inputs</h2>
              <pre className="overflow-x-auto rounded-md bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-800">
                {Object.entries(b.exampleInputs)
                  .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
                  .join("\n")}
              </pre>
            </div>
          ) : null}
          <div className="mt-5">
            <h2 className="mb-1 text-sm font-semibold">Plugins it uses</h2>
            <ul className="flex flex-wrap gap-1">
              {b.includedTasks.map((type) => (
                <li
                  key={type}
                  title={type}
                  className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] dark:bg-zinc-800"
                >
                  {badgeType(type)}
                </li>
              ))}
            </ul>
          </div>
        </section>
        <div className="flex min-w-0 flex-col gap-6 lg:col-span-3">
          <Source title="Source" fileName="flow.yaml" source={b.source} />
          {(b.companions ?? []).map((companion) => (
            <Source
              key={companion.file}
              title={`Companion flow: ${companion.file}`}
              fileName={companion.file}
              source={companion.source}
              note="Deploy it too: this blueprint calls it or listens to it."
            />
          ))}
        </div>
      </div>
      {using ? (
        <UseDialog kind={kind} id={id} namespace={b.namespace} onClose={() => setUsing(false)} />
      ) : null}
    </div>
  );
}

function Source({
  title,
  fileName,
  source,
  note,
}: {
  title: string;
  fileName: string;
  source: string;
  note?: string;
}) {
  const [copied, setCopied] = useState<"yes" | "failed" | undefined>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(source);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
    setTimeout(() => setCopied(undefined), 2000);
  };
  return (
    <section aria-label={title}>
      <div className="mb-2 flex items-center gap-3">
        <h2 className="text-sm font-semibold">{title}</h2>
        <span className="font-mono text-xs text-zinc-500">{fileName}</span>
        <Button variant="plain" className="ml-auto !py-1 text-xs" onClick={() => void copy()}>
          {copied === "yes" ? "Copied" : copied === "failed" ? "Copy failed: select the text" : "Copy"}
        </Button>
      </div>
      {note ? <p className="mb-2 text-xs text-zinc-500">{note}</p> : null}
      <pre className="max-h-[32rem] overflow-auto rounded-xl bg-zinc-900 p-4 font-mono text-xs leading-relaxed text-zinc-100">
        <code>{source}</code>
      </pre>
    </section>
  );
}

function UseDialog({
  kind,
  id,
  namespace: initial,
  onClose,
}: {
  kind: Tab;
  id: string;
  namespace: string;
  onClose: () => void;
}) {
  const router = useRouter();
  const [namespace, setNamespace] = useState(initial);
  const valid = NAMESPACE.test(namespace);
  return (
    <Dialog open title="Use this blueprint" onClose={onClose}>
      <form
        className="flex flex-col gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          if (!valid) return;
          router.push(
            `/flows/new?blueprint=${kind}/${encodeURIComponent(id)}&namespace=${encodeURIComponent(namespace)}`,
          );
        }}
      >
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          The editor opens with the blueprint's flow in the namespace you choose. Nothing is saved until you
          save it there.
        </p>
        <Field label="Namespace">
          <Input
            autoFocus
            value={namespace}
            onChange={(e) => setNamespace(e.target.value.trim())}
            aria-invalid={!valid}
          />
        </Field>
        {valid ? null : (
          <ErrorText>A namespace: lower-case letters, digits, dots, _ and -, e.g. company.team.</ErrorText>
        )}
        <div className="flex justify-end gap-2">
          <Button variant="plain" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={!valid}>
            Open in the editor
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteButton({ tenant, id }: { tenant: string; id: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.blueprints.delete.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.blueprints.customSearch.queryKey() });
        router.push("/blueprints?tab=custom");
      },
    }),
  );
  return (
    <>
      <Button
        variant="danger"
        disabled={remove.isPending}
        onClick={() => {
          if (window.confirm("Delete this blueprint? Flows made from it are not affected."))
            remove.mutate({ tenant, id });
        }}
      >
        Delete
      </Button>
      <ErrorText>{remove.error?.message}</ErrorText>
    </>
  );
}

function DetailSkeleton({ back }: { back: React.ReactNode }) {
  return (
    <div className="mx-auto max-w-6xl" role="status" aria-busy aria-label="Loading the blueprint">
      {back}
      <div className="mt-4 h-8 w-2/3 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="mt-6 grid grid-cols-1 gap-6 lg:grid-cols-5">
        <div className="h-64 animate-pulse rounded-xl bg-zinc-200 lg:col-span-2 dark:bg-zinc-800" />
        <div className="h-64 animate-pulse rounded-xl bg-zinc-200 lg:col-span-3 dark:bg-zinc-800" />
      </div>
    </div>
  );
}
