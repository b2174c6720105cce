"use client";
// Groups of members: create, add and remove members, delete. Roles are given to a group by a binding.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../_trpc/react";
import { NameDescriptionForm } from "../name-description-form";
import { Button, Card, Empty, ErrorText, Select } from "../ui";
import { Loading } from "./states";

export function Groups({ tenant }: { tenant: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const groups = useQuery(trpc.team.groups.queryOptions({ tenant }));
  const members = useQuery(trpc.team.members.queryOptions({ tenant }));
  const [adding, setAdding] = useState<Record<string, string>>({});
  const refresh = () => queryClient.invalidateQueries();
  const create = useMutation(trpc.team.createGroup.mutationOptions({ onSuccess: () => void refresh() }));
  const remove = useMutation(trpc.team.deleteGroup.mutationOptions({ onSuccess: () => void refresh() }));
  const setMember = useMutation(
    trpc.team.setGroupMember.mutationOptions({ onSuccess: () => void refresh() }),
  );
  return (
    <Card title="Groups">
      <ErrorText>
        {groups.error?.message ?? create.error?.message ?? remove.error?.message ?? setMember.error?.message}
      </ErrorText>
      {groups.isPending ? <Loading what="Loading groups" /> : null}
      {groups.data && groups.data.length === 0 ? (
        <Empty>No group yet. Create one to give several members the same roles with one binding.</Empty>
      ) : null}
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {(groups.data ?? []).map((g) => {
          const outside = (members.data ?? []).filter((m) => !g.members.some((x) => x.userId === m.userId));
          return (
            <li key={g.id} className="py-3">
              <div className="flex items-center gap-3">
                <span className="font-medium">{g.name}</span>
                {g.description ? (
                  <span className="text-sm text-zinc-600 dark:text-zinc-400">{g.description}</span>
                ) : null}
                <Button
                  variant="danger"
                  className="ml-auto"
                  aria-label={`Delete group ${g.name}`}
                  onClick={() => {
                    if (window.confirm(`Delete the group ${g.name}? Its bindings go with it.`))
                      remove.mutate({ tenant, groupId: g.id });
                  }}
                >
                  Delete
                </Button>
              </div>
              <ul aria-label={`Members of ${g.name}`} className="mt-2 flex flex-wrap gap-2">
                {g.members.length === 0 ? (
                  <li className="text-sm text-zinc-600 dark:text-zinc-400">no member</li>
                ) : null}
                {g.members.map((m) => (
                  <li
                    key={m.userId}
                    className="flex items-center gap-1 rounded-full bg-zinc-100 py-0.5 pr-1 pl-3 text-sm dark:bg-zinc-800"
                  >
                    {m.email}
                    <button
                      type="button"
                      aria-label={`Remove ${m.email} from ${g.name}`}
                      className="rounded-full px-1.5 text-zinc-600 hover:bg-zinc-200 dark:text-zinc-300 dark:hover:bg-zinc-700"
                      onClick={() =>
                        setMember.mutate({ tenant, groupId: g.id, userId: m.userId, member: false })
                      }
                    >
                      ×
                    </button>
                  </li>
                ))}
              </ul>
              {outside.length > 0 ? (
                <form
                  className="mt-2 flex items-end gap-2"
                  onSubmit={(event) => {
                    event.preventDefault();
                    const userId = adding[g.id];
                    if (userId) setMember.mutate({ tenant, groupId: g.id, userId, member: true });
                  }}
                >
                  <Select
                    aria-label={`Member to add to ${g.name}`}
                    value={adding[g.id] ?? ""}
                    onChange={(e) => setAdding({ ...adding, [g.id]: e.target.value })}
                  >
                    <option value="">add a member…</option>
                    {outside.map((m) => (
                      <option key={m.userId} value={m.userId}>
                        {m.email}
                      </option>
                    ))}
                  </Select>
                  <Button type="submit" variant="plain" disabled={!adding[g.id]}>
                    Add
                  </Button>
                </form>
              ) : null}
            </li>
          );
        })}
      </ul>
      <div className="mt-4 border-t border-zinc-200 pt-4 dark:border-zinc-800">
        <NameDescriptionForm
          nameLabel="New group"
          placeholder="data-engineers"
          submitLabel="Create group"
          pending={create.isPending}
          onCreate={(values) => create.mutateAsync({ tenant, ...values })}
        />
      </div>
    </Card>
  );
}
