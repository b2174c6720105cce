"use client";
// The tenant's roles: built-in ones shown as they are, custom ones created and edited as a permission ×
// action matrix of checkboxes (server/access/permissions.ts is the catalogue).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ACTIONS, PERMISSIONS } from "@/server/access/permissions";
import { useTRPC } from "../../_trpc/react";
import { Button, Card, ErrorText, Field, Input } from "../ui";
import { Loading } from "./states";

type GrantSet = Set<string>;

function Matrix({
  grants,
  onChange,
  readOnly,
  label,
}: {
  grants: GrantSet;
  onChange?: (next: GrantSet) => void;
  readOnly?: boolean;
  label: string;
}) {
  const toggle = (grant: string) => {
    const next = new Set(grants);
    if (next.has(grant)) next.delete(grant);
    else next.add(grant);
    onChange?.(next);
  };
  return (
    <div className="overflow-x-auto">
      <table aria-label={label} className="text-sm">
        <thead>
          <tr className="text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
            <th className="py-1 pr-4 text-left font-medium">Permission</th>
            {ACTIONS.map((a) => (
              <th key={a} className="px-3 py-1 font-medium">
                {a.toLowerCase()}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {PERMISSIONS.map((p) => (
            <tr key={p} className="border-t border-zinc-100 dark:border-zinc-800">
              <th scope="row" className="py-1 pr-4 text-left font-mono text-xs font-normal">
                {p}
              </th>
              {ACTIONS.map((a) => {
                const grant = `${p}:${a}`;
                return (
                  <td key={a} className="px-3 py-1 text-center">
                    <input
                      type="checkbox"
                      aria-label={`${p} ${a.toLowerCase()}`}
                      checked={grants.has(grant)}
                      disabled={readOnly}
                      onChange={() => toggle(grant)}
                      className="h-4 w-4 accent-brand-600"
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Roles({ tenant }: { tenant: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const roles = useQuery(trpc.roles.list.queryOptions({ tenant }));
  const [open, setOpen] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [grants, setGrants] = useState<GrantSet>(new Set(["FLOW:READ", "EXECUTION:READ"]));
  const [editing, setEditing] = useState<GrantSet>(new Set());
  const refresh = () => queryClient.invalidateQueries();
  const create = useMutation(
    trpc.roles.create.mutationOptions({
      onSuccess: () => {
        setName("");
        setDescription("");
        void refresh();
      },
    }),
  );
  const update = useMutation(trpc.roles.update.mutationOptions({ onSuccess: () => void refresh() }));
  const remove = useMutation(trpc.roles.delete.mutationOptions({ onSuccess: () => void refresh() }));
  return (
    <Card title="Roles">
      <ErrorText>
        {roles.error?.message ?? create.error?.message ?? update.error?.message ?? remove.error?.message}
      </ErrorText>
      {roles.isPending ? <Loading what="Loading roles" /> : null}
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {(roles.data ?? []).map((r) => (
          <li key={r.id} className="py-2">
            <div className="flex items-center gap-3">
              <button
                type="button"
                className="shrink-0 whitespace-nowrap font-medium hover:underline"
                aria-expanded={open === r.id}
                onClick={() => {
                  setOpen(open === r.id ? null : r.id);
                  setEditing(new Set(r.permissions));
                }}
              >
                {open === r.id ? "▾" : "▸"} {r.name}
              </button>
              <span className="text-xs text-zinc-600 dark:text-zinc-400">
                {r.builtIn ? "built-in · " : ""}
                {r.permissions.length} permission{r.permissions.length === 1 ? "" : "s"}
                {r.description ? ` · ${r.description}` : ""}
              </span>
              {r.builtIn ? null : (
                <Button
                  variant="danger"
                  className="ml-auto"
                  aria-label={`Delete role ${r.name}`}
                  onClick={() => {
                    if (window.confirm(`Delete the role ${r.name}? Its bindings go with it.`))
                      remove.mutate({ tenant, roleId: r.id });
                  }}
                >
                  Delete
                </Button>
              )}
            </div>
            {open === r.id ? (
              <div className="mt-3 pl-5">
                <Matrix
                  label={`Permissions of ${r.name}`}
                  grants={r.builtIn ? new Set(r.permissions) : editing}
                  onChange={setEditing}
                  readOnly={r.builtIn}
                />
                {r.builtIn ? null : (
                  <Button
                    className="mt-3"
                    disabled={update.isPending}
                    onClick={() => update.mutate({ tenant, roleId: r.id, permissions: [...editing] })}
                  >
                    Save {r.name}
                  </Button>
                )}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <form
        className="mt-6 border-t border-zinc-200 pt-4 dark:border-zinc-800"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate({ tenant, name, ...(description ? { description } : {}), permissions: [...grants] });
        }}
      >
        <h3 className="mb-3 font-medium">New custom role</h3>
        <div className="mb-3 flex flex-wrap items-end gap-3">
          <Field label="Name">
            <Input value={name} onChange={(e) => setName(e.target.value)} placeholder="Deployer" required />
          </Field>
          <Field label="Description (optional)">
            <Input value={description} onChange={(e) => setDescription(e.target.value)} className="w-80" />
          </Field>
        </div>
        <Matrix label="Permissions of the new role" grants={grants} onChange={setGrants} />
        <Button type="submit" className="mt-3" disabled={create.isPending || grants.size === 0}>
          Create role
        </Button>
      </form>
    </Card>
  );
}
