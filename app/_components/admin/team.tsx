"use client";
// The tenant's team: members and their roles, invitations by link, roles (built-in and custom), bindings.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../_trpc/react";
import { useFormatDate } from "../preferences";
import { Button, Card, Empty, ErrorText, Field, Input, Select, Table } from "../ui";
import { Groups } from "./groups";
import { NamespacePicker } from "./namespace-picker";
import { Roles } from "./roles";

export function Team({ tenant }: { tenant: string }) {
  return (
    <>
      <Members tenant={tenant} />
      <Invitations tenant={tenant} />
      <Groups tenant={tenant} />
      <Bindings tenant={tenant} />
      <Roles tenant={tenant} />
    </>
  );
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries();
}

function Members({ tenant }: { tenant: string }) {
  const trpc = useTRPC();
  const refresh = useRefresh();
  const members = useQuery(trpc.team.members.queryOptions({ tenant }));
  const remove = useMutation(trpc.team.removeMember.mutationOptions({ onSuccess: () => void refresh() }));
  return (
    <Card title="Members">
      <ErrorText>{members.error?.message ?? remove.error?.message}</ErrorText>
      {members.data ? (
        <Table label="Members" head={["Email", "Roles", "Groups", ""]}>
          {members.data.map((m) => (
            <tr key={m.userId}>
              <td className="py-2 pr-4">
                {m.email}
                {m.name ? (
                  <span className="block text-xs text-zinc-600 dark:text-zinc-400">{m.name}</span>
                ) : null}
              </td>
              <td className="py-2 pr-4">
                {m.bindings.map((b) => `${b.role}${b.namespace ? ` on ${b.namespace}` : ""}`).join(", ") ||
                  "no role"}
              </td>
              <td className="py-2 pr-4">{m.groups.map((g) => g.name).join(", ")}</td>
              <td className="py-2">
                <Button
                  variant="danger"
                  onClick={() => remove.mutate({ tenant, userId: m.userId })}
                  aria-label={`Remove ${m.email}`}
                >
                  Remove
                </Button>
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
    </Card>
  );
}

function RoleSelect({
  tenant,
  value,
  onChange,
}: {
  tenant: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const trpc = useTRPC();
  const roles = useQuery(trpc.roles.list.queryOptions({ tenant }));
  const names = roles.data?.map((r) => r.name) ?? ["Admin", "Editor", "Launcher", "Viewer"];
  return (
    <Select value={value} onChange={(e) => onChange(e.target.value)} aria-label="Role">
      {names.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </Select>
  );
}

function Invitations({ tenant }: { tenant: string }) {
  const trpc = useTRPC();
  const refresh = useRefresh();
  const invitations = useQuery(trpc.team.invitations.queryOptions({ tenant }));
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("Viewer");
  const [namespace, setNamespace] = useState("");
  const [link, setLink] = useState<string | undefined>();
  const invite = useMutation(
    trpc.team.invite.mutationOptions({
      onSuccess: (created) => {
        setLink(new URL(created.path, window.location.origin).toString());
        setEmail("");
        void refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.team.revokeInvitation.mutationOptions({ onSuccess: () => void refresh() }));
  const formatDate = useFormatDate();
  return (
    <Card title="Invitations">
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          invite.mutate({ tenant, role, ...(email ? { email } : {}), ...(namespace ? { namespace } : {}) });
        }}
      >
        <Field label="Email (optional: anyone with the link otherwise)">
          <Input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field label="Role">
          <RoleSelect tenant={tenant} value={role} onChange={setRole} />
        </Field>
        <Field label="Where">
          <NamespacePicker tenant={tenant} value={namespace} onChange={setNamespace} />
        </Field>
        <Button type="submit" disabled={invite.isPending}>
          Create invitation link
        </Button>
      </form>
      <ErrorText>{invite.error?.message ?? invitations.error?.message}</ErrorText>
      {link ? (
        <div
          role="status"
          className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950"
        >
          <p className="font-medium">Send this link: it works once, for 7 days, and is not shown again.</p>
          <code data-testid="invitation-link" className="mt-2 block break-all font-mono">
            {link}
          </code>
        </div>
      ) : null}
      {invitations.data && invitations.data.length > 0 ? (
        <div className="mt-4">
          <Table label="Pending invitations" head={["For", "Role", "Expires", ""]}>
            {invitations.data.map((i) => (
              <tr key={i.id}>
                <td className="py-2 pr-4">{i.email ?? "anyone with the link"}</td>
                <td className="py-2 pr-4">
                  {i.role}
                  {i.namespace ? ` on ${i.namespace}` : ""}
                </td>
                <td className="py-2 pr-4">{formatDate(i.expiresAt)}</td>
                <td className="py-2">
                  <Button variant="danger" onClick={() => revoke.mutate({ tenant, invitationId: i.id })}>
                    Revoke
                  </Button>
                </td>
              </tr>
            ))}
          </Table>
        </div>
      ) : null}
    </Card>
  );
}

function Bindings({ tenant }: { tenant: string }) {
  const trpc = useTRPC();
  const refresh = useRefresh();
  const bindings = useQuery(trpc.bindings.list.queryOptions({ tenant }));
  const members = useQuery(trpc.team.members.queryOptions({ tenant }));
  const groups = useQuery(trpc.team.groups.queryOptions({ tenant }));
  const accounts = useQuery(trpc.serviceAccounts.list.queryOptions({ tenant }));
  const [subject, setSubject] = useState("");
  const [role, setRole] = useState("Viewer");
  const [namespace, setNamespace] = useState("");
  const create = useMutation(trpc.bindings.create.mutationOptions({ onSuccess: () => void refresh() }));
  const remove = useMutation(trpc.bindings.delete.mutationOptions({ onSuccess: () => void refresh() }));
  const subjects = [
    ...(members.data ?? []).map((m) => ({ key: `USER:${m.userId}`, label: `user ${m.email}` })),
    ...(groups.data ?? []).map((g) => ({ key: `GROUP:${g.id}`, label: `group ${g.name}` })),
    ...(accounts.data ?? []).map((a) => ({
      key: `SERVICE_ACCOUNT:${a.id}`,
      label: `service account ${a.name}`,
    })),
  ];
  return (
    <Card title="Role bindings">
      <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
        A binding gives a role on the whole tenant, or on a namespace and its children (<code>a.b</code>{" "}
        covers <code>a.b.c</code>, not <code>a.bc</code>).
      </p>
      <form
        className="mb-4 flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          const [subjectType, subjectId] = subject.split(":") as [
            "USER" | "GROUP" | "SERVICE_ACCOUNT",
            string,
          ];
          if (!subjectId) return;
          create.mutate({ tenant, subjectType, subjectId, role, ...(namespace ? { namespace } : {}) });
        }}
      >
        <Field label="Who">
          <Select value={subject} onChange={(e) => setSubject(e.target.value)} aria-label="Subject" required>
            <option value="">choose…</option>
            {subjects.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Role">
          <RoleSelect tenant={tenant} value={role} onChange={setRole} />
        </Field>
        <Field label="Where">
          <NamespacePicker tenant={tenant} value={namespace} onChange={setNamespace} />
        </Field>
        <Button type="submit" disabled={create.isPending}>
          Bind
        </Button>
      </form>
      <ErrorText>{create.error?.message ?? remove.error?.message ?? bindings.error?.message}</ErrorText>
      {bindings.data && bindings.data.length === 0 ? <Empty>No bindings.</Empty> : null}
      {bindings.data && bindings.data.length > 0 ? (
        <Table label="Bindings" head={["Who", "Role", "Where", ""]}>
          {bindings.data.map((b) => (
            <tr key={b.id}>
              <td className="py-2 pr-4">
                {b.subjectType === "USER" ? "" : `${b.subjectType.toLowerCase().replace("_", " ")} `}
                {b.subjectName}
              </td>
              <td className="py-2 pr-4">{b.role}</td>
              <td className="py-2 pr-4">{b.namespace ?? "whole tenant"}</td>
              <td className="py-2">
                <Button variant="danger" onClick={() => remove.mutate({ tenant, bindingId: b.id })}>
                  Remove
                </Button>
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
    </Card>
  );
}
