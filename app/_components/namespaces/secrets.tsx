"use client";
// A namespace's secrets, by name only (values are write-only): its own, set, replace or delete them; and
// those its flows inherit from parent namespaces, with the namespace each comes from.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "../../_trpc/react";
import { Loading } from "../admin/states";
import { useFormatDate } from "../preferences";
import { Button, Card, Empty, ErrorText, Field, Input, Table } from "../ui";
import { namespaceHref } from "./tabs";

export function Secrets({ tenant, namespace }: { tenant: string; namespace: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formatDate = useFormatDate();
  const own = useQuery(trpc.namespaces.secrets.queryOptions({ tenant, namespace }));
  const visible = useQuery(trpc.namespaces.inheritedSecrets.queryOptions({ tenant, namespace }));
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const [description, setDescription] = useState("");
  const [replacing, setReplacing] = useState(false);
  const refresh = () => queryClient.invalidateQueries();
  const save = useMutation(
    trpc.namespaces.secretSet.mutationOptions({
      onSuccess: () => {
        setKey("");
        setValue("");
        setDescription("");
        setReplacing(false);
        void refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.namespaces.secretDelete.mutationOptions({ onSuccess: () => void refresh() }),
  );
  const inherited = (visible.data ?? []).filter((s) => s.namespace !== namespace);
  return (
    <>
      <Card title="Secrets of this namespace">
        <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
          Flows read them with <code>{"{{ secret('NAME') }}"}</code>; values are encrypted at rest, masked in
          logs, and never shown again once saved. Child namespaces inherit them.
        </p>
        <ErrorText>{own.error?.message ?? remove.error?.message}</ErrorText>
        {own.isPending ? <Loading what="Loading secrets" /> : null}
        {own.data && own.data.length === 0 ? <Empty>No secret in {namespace}. Add one below.</Empty> : null}
        {own.data && own.data.length > 0 ? (
          <Table label="Secrets" head={["Name", "Description", "Updated", ""]}>
            {own.data.map((s) => (
              <tr key={s.key}>
                <td className="py-2 pr-4 font-mono">{s.key}</td>
                <td className="py-2 pr-4">{s.description}</td>
                <td className="py-2 pr-4">{formatDate(s.updated)}</td>
                <td className="flex gap-2 py-2">
                  <Button
                    variant="plain"
                    aria-label={`Replace ${s.key}`}
                    onClick={() => {
                      setKey(s.key);
                      setDescription(s.description ?? "");
                      setValue("");
                      setReplacing(true);
                    }}
                  >
                    Replace
                  </Button>
                  <Button
                    variant="danger"
                    aria-label={`Delete ${s.key}`}
                    onClick={() => {
                      if (window.confirm(`Delete the secret ${s.key}? Flows using it will fail.`))
                        remove.mutate({ tenant, namespace, key: s.key });
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
      <Card title={replacing ? `Replace ${key}` : "Add a secret"}>
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate({
              tenant,
              namespace,
              key: key.trim(),
              value,
              ...(description ? { description } : {}),
            });
          }}
        >
          <Field label="Name">
            <Input
              value={key}
              onChange={(e) => setKey(e.target.value)}
              readOnly={replacing}
              required
              placeholder="DB_PASSWORD"
              className="font-mono"
            />
          </Field>
          <Field label="Value">
            <Input
              type="password"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              required
              autoComplete="off"
            />
          </Field>
          <Field label="Description (optional)">
            <Input value={description} onChange={(e) => setDescription(e.target.value)} />
          </Field>
          <Button type="submit" disabled={save.isPending}>
            {replacing ? "Replace" : "Save"}
          </Button>
          {replacing ? (
            <Button
              variant="plain"
              onClick={() => {
                setReplacing(false);
                setKey("");
                setDescription("");
              }}
            >
              Cancel
            </Button>
          ) : null}
        </form>
        <ErrorText>{save.error?.message}</ErrorText>
      </Card>
      <Card title="Inherited from parent namespaces">
        <ErrorText>{visible.error?.message}</ErrorText>
        {visible.data && inherited.length === 0 ? (
          <Empty>None: no parent namespace of {namespace} has a secret this one does not override.</Empty>
        ) : null}
        {inherited.length > 0 ? (
          <Table label="Inherited secrets" head={["Name", "From", "Description"]}>
            {inherited.map((s) => (
              <tr key={`${s.namespace}/${s.key}`}>
                <td className="py-2 pr-4 font-mono">{s.key}</td>
                <td className="py-2 pr-4">
                  <Link href={namespaceHref(s.namespace, "secrets")} className="underline">
                    {s.namespace}
                  </Link>
                </td>
                <td className="py-2 pr-4">{s.description}</td>
              </tr>
            ))}
          </Table>
        ) : null}
      </Card>
    </>
  );
}
