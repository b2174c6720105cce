"use client";
// A namespace's KV store: entries (type, description, expiry), a form to add one or edit one (the value typed
// as text and checked against its type on the server), and deletion.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { KvType } from "@/server/services/kv";
import { useTRPC } from "../../_trpc/react";
import { Loading } from "../admin/states";
import { useFormatDate } from "../preferences";
import { Button, Card, Empty, ErrorText, Field, Input, Select, Table } from "../ui";

const TYPES: { type: KvType; hint: string }[] = [
  { type: "STRING", hint: "any text" },
  { type: "NUMBER", hint: "42 or 3.14" },
  { type: "BOOLEAN", hint: "true or false" },
  { type: "DATETIME", hint: "2026-12-06T10:00:00Z" },
  { type: "DATE", hint: "2026-12-06" },
  { type: "DURATION", hint: "PT1H30M" },
  { type: "JSON", hint: '{"a": 1}' },
];

interface Draft {
  key: string;
  type: KvType;
  value: string;
  ttl: string;
  description: string;
  editing: boolean;
}

const blank: Draft = { key: "", type: "STRING", value: "", ttl: "", description: "", editing: false };

const asText = (type: string, value: unknown) =>
  type === "JSON" ? JSON.stringify(value, null, 2) : typeof value === "string" ? value : String(value);

export function KvStore({ tenant, namespace }: { tenant: string; namespace: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formatDate = useFormatDate();
  const entries = useQuery(trpc.namespaces.kv.queryOptions({ tenant, namespace }));
  const [draft, setDraft] = useState<Draft>(blank);
  const [loadError, setLoadError] = useState<string | undefined>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.namespaces.kv.queryKey() });
  const save = useMutation(
    trpc.console.kvSet.mutationOptions({
      onSuccess: () => {
        setDraft(blank);
        void refresh();
      },
    }),
  );
  const remove = useMutation(trpc.namespaces.kvDelete.mutationOptions({ onSuccess: () => void refresh() }));

  async function edit(key: string) {
    setLoadError(undefined);
    try {
      const entry = await queryClient.fetchQuery(
        trpc.namespaces.kvGet.queryOptions({ tenant, namespace, key }),
      );
      const listed = entries.data?.find((e) => e.key === key);
      setDraft({
        key,
        type: (entry.type as KvType) ?? "STRING",
        value: asText(entry.type, entry.value),
        ttl: "",
        description: listed?.description ?? "",
        editing: true,
      });
    } catch (error) {
      setLoadError((error as Error).message);
    }
  }

  const hint = TYPES.find((t) => t.type === draft.type)?.hint;
  return (
    <>
      <Card title="Entries">
        <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
          Flows of this namespace read these with <code>{"{{ kv('KEY') }}"}</code> and the{" "}
          <code>core.kv</code> tasks.
        </p>
        <ErrorText>{entries.error?.message ?? remove.error?.message ?? loadError}</ErrorText>
        {entries.isPending ? <Loading what="Loading entries" /> : null}
        {entries.data && entries.data.length === 0 ? (
          <Empty>No entry in {namespace}. Add one below, or let a flow write one with core.kv.Set.</Empty>
        ) : null}
        {entries.data && entries.data.length > 0 ? (
          <Table label="KV entries" head={["Key", "Type", "Description", "Expires", "Updated", ""]}>
            {entries.data.map((e) => (
              <tr key={e.key}>
                <td className="py-2 pr-4 font-mono">{e.key}</td>
                <td className="py-2 pr-4 text-xs">{e.type ?? "JSON"}</td>
                <td className="py-2 pr-4">{e.description}</td>
                <td className="py-2 pr-4">{e.expirationDate ? formatDate(e.expirationDate) : "never"}</td>
                <td className="py-2 pr-4">{formatDate(e.updateDate)}</td>
                <td className="flex gap-2 py-2">
                  <Button variant="plain" onClick={() => void edit(e.key)} aria-label={`Edit ${e.key}`}>
                    Edit
                  </Button>
                  <Button
                    variant="danger"
                    aria-label={`Delete ${e.key}`}
                    onClick={() => {
                      if (window.confirm(`Delete the key ${e.key}?`))
                        remove.mutate({ tenant, namespace, key: e.key });
                    }}
                  >
                    Delete
                  </Button>
                </td>
              </tr>
            ))}
          </Table>
        ) : null}
      </Card>
      <Card title={draft.editing ? `Edit ${draft.key}` : "Add an entry"}>
        <form
          className="grid gap-3 sm:grid-cols-2"
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate({
              tenant,
              namespace,
              key: draft.key.trim(),
              type: draft.type,
              value: draft.value,
              ...(draft.ttl.trim() ? { ttl: draft.ttl.trim() } : {}),
              ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
            });
          }}
        >
          <Field label="Key">
            <Input
              value={draft.key}
              onChange={(e) => setDraft({ ...draft, key: e.target.value })}
              readOnly={draft.editing}
              required
              placeholder="api_url"
            />
          </Field>
          <Field label="Type">
            <Select
              value={draft.type}
              onChange={(e) => setDraft({ ...draft, type: e.target.value as KvType })}
            >
              {TYPES.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.type}
                </option>
              ))}
            </Select>
          </Field>
          <div className="sm:col-span-2">
            <Field label={`Value (${hint})`}>
              {draft.type === "JSON" || draft.type === "STRING" ? (
                <textarea
                  value={draft.value}
                  onChange={(e) => setDraft({ ...draft, value: e.target.value })}
                  rows={draft.type === "JSON" ? 5 : 2}
                  className="rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-950"
                />
              ) : draft.type === "BOOLEAN" ? (
                <Select
                  value={draft.value}
                  onChange={(e) => setDraft({ ...draft, value: e.target.value })}
                  required
                >
                  <option value="">choose…</option>
                  <option value="true">true</option>
                  <option value="false">false</option>
                </Select>
              ) : (
                <Input
                  value={draft.value}
                  onChange={(e) => setDraft({ ...draft, value: e.target.value })}
                  placeholder={hint}
                  required
                  className="font-mono"
                />
              )}
            </Field>
          </div>
          <Field label="Expires after (ISO-8601 duration; empty: never)">
            <Input
              value={draft.ttl}
              onChange={(e) => setDraft({ ...draft, ttl: e.target.value })}
              placeholder="P7D"
              className="font-mono"
            />
          </Field>
          <Field label="Description (optional)">
            <Input
              value={draft.description}
              onChange={(e) => setDraft({ ...draft, description: e.target.value })}
            />
          </Field>
          <div className="flex gap-2 sm:col-span-2">
            <Button type="submit" disabled={save.isPending}>
              {draft.editing ? "Save" : "Add"}
            </Button>
            {draft.editing ? (
              <Button variant="plain" onClick={() => setDraft(blank)}>
                Cancel
              </Button>
            ) : null}
          </div>
        </form>
        <ErrorText>{save.error?.message}</ErrorText>
      </Card>
    </>
  );
}
