"use client";
// Service accounts: non-human principals for CI and other systems. Create one, give it roles (tenant-wide
// or on a namespace), issue its API tokens (shown once, with a copy button), revoke them, delete it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../_trpc/react";
import { NameDescriptionForm } from "../name-description-form";
import { useFormatDate } from "../preferences";
import { Button, Card, Empty, ErrorText, Field, Input, Select, Table } from "../ui";
import { CopyButton } from "./copy-button";
import { NamespacePicker } from "./namespace-picker";
import { Loading } from "./states";

const EXPIRIES = [
  { label: "30 days", days: 30 },
  { label: "90 days", days: 90 },
  { label: "1 year", days: 365 },
  { label: "No expiry", days: 0 },
];

export function ServiceAccounts({ tenant }: { tenant: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const accounts = useQuery(trpc.serviceAccounts.list.queryOptions({ tenant }));
  const create = useMutation(
    trpc.serviceAccounts.create.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries() }),
  );
  return (
    <>
      <Card title="Create a service account">
        <NameDescriptionForm
          placeholder="ci-deployer"
          pending={create.isPending}
          error={create.error?.message}
          onCreate={(values) => create.mutateAsync({ tenant, ...values })}
        />
      </Card>
      <ErrorText>{accounts.error?.message}</ErrorText>
      {accounts.isPending ? <Loading what="Loading service accounts" /> : null}
      {accounts.data && accounts.data.length === 0 ? (
        <Card>
          <Empty>
            No service account yet. Create one above, give it a role (Launcher on a namespace, say), then
            issue it a token for your CI.
          </Empty>
        </Card>
      ) : null}
      {(accounts.data ?? []).map((a) => (
        <Account key={a.id} tenant={tenant} account={a} />
      ))}
    </>
  );
}

function Account({
  tenant,
  account,
}: {
  tenant: string;
  account: { id: string; name: string; description: string | null };
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formatDate = useFormatDate();
  const bindings = useQuery(
    trpc.bindings.list.queryOptions({ tenant, subjectType: "SERVICE_ACCOUNT", subjectId: account.id }),
  );
  const tokens = useQuery(trpc.tokens.list.queryOptions({ tenant, all: true }));
  const roles = useQuery(trpc.roles.list.queryOptions({ tenant }));
  const [role, setRole] = useState("Launcher");
  const [namespace, setNamespace] = useState("");
  const [tokenName, setTokenName] = useState("");
  const [days, setDays] = useState(90);
  const [shown, setShown] = useState<string | undefined>();
  const refresh = () => queryClient.invalidateQueries();
  const bind = useMutation(trpc.bindings.create.mutationOptions({ onSuccess: () => void refresh() }));
  const unbind = useMutation(trpc.bindings.delete.mutationOptions({ onSuccess: () => void refresh() }));
  const issue = useMutation(
    trpc.serviceAccounts.createToken.mutationOptions({
      onSuccess: (created) => {
        setShown(created.token);
        setTokenName("");
        void refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: () => void refresh() }));
  const remove = useMutation(
    trpc.serviceAccounts.delete.mutationOptions({ onSuccess: () => void refresh() }),
  );
  const own = (tokens.data ?? []).filter(
    (t) => t.owner.type === "SERVICE_ACCOUNT" && t.owner.id === account.id,
  );
  return (
    <Card label={`Service account ${account.name}`}>
      <div className="mb-4 flex items-start gap-3">
        <div>
          <h2 className="font-semibold">{account.name}</h2>
          {account.description ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">{account.description}</p>
          ) : null}
        </div>
        <Button
          variant="danger"
          className="ml-auto"
          aria-label={`Delete service account ${account.name}`}
          onClick={() => {
            if (window.confirm(`Delete ${account.name}? Its tokens stop working at once.`))
              remove.mutate({ tenant, serviceAccountId: account.id });
          }}
        >
          Delete
        </Button>
      </div>
      <ErrorText>
        {bindings.error?.message ??
          bind.error?.message ??
          unbind.error?.message ??
          issue.error?.message ??
          revoke.error?.message ??
          remove.error?.message}
      </ErrorText>

      <h3 className="mb-2 text-sm font-semibold">Roles</h3>
      {bindings.data && bindings.data.length === 0 ? (
        <Empty>No role yet: this account can do nothing until you bind one.</Empty>
      ) : null}
      <ul className="mb-3 space-y-1 text-sm">
        {(bindings.data ?? []).map((b) => (
          <li key={b.id} className="flex items-center gap-3">
            <span>
              <strong>{b.role}</strong> on {b.namespace ?? "the whole tenant"}
            </span>
            <Button
              variant="plain"
              aria-label={`Remove ${b.role} on ${b.namespace ?? "the whole tenant"} from ${account.name}`}
              onClick={() => unbind.mutate({ tenant, bindingId: b.id })}
            >
              Remove
            </Button>
          </li>
        ))}
      </ul>
      <form
        className="mb-6 flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          bind.mutate({
            tenant,
            subjectType: "SERVICE_ACCOUNT",
            subjectId: account.id,
            role,
            ...(namespace ? { namespace } : {}),
          });
        }}
      >
        <Field label="Role">
          <Select
            value={role}
            onChange={(e) => setRole(e.target.value)}
            aria-label={`Role for ${account.name}`}
          >
            {(roles.data?.map((r) => r.name) ?? ["Admin", "Editor", "Launcher", "Viewer"]).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Where">
          <NamespacePicker
            tenant={tenant}
            value={namespace}
            onChange={setNamespace}
            label={`Namespace for ${account.name}`}
          />
        </Field>
        <Button type="submit" variant="plain" disabled={bind.isPending}>
          Bind role
        </Button>
      </form>

      <h3 className="mb-2 text-sm font-semibold">API tokens</h3>
      {shown ? (
        <div
          role="status"
          className="mb-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950"
        >
          <p className="font-medium">Copy this token now: it is not shown again.</p>
          <div className="mt-2 flex items-center gap-2">
            <code data-testid="service-account-token" className="block break-all font-mono">
              {shown}
            </code>
            <CopyButton text={shown} />
          </div>
        </div>
      ) : null}
      {own.length > 0 ? (
        <Table label={`Tokens of ${account.name}`} head={["Name", "Prefix", "Expires", "Last used", ""]}>
          {own.map((t) => (
            <tr key={t.id}>
              <td className="py-2 pr-4">{t.name}</td>
              <td className="py-2 pr-4 font-mono text-xs">{t.prefix}…</td>
              <td className="py-2 pr-4">{t.expiresAt ? formatDate(t.expiresAt) : "never"}</td>
              <td className="py-2 pr-4">{t.lastUsedAt ? formatDate(t.lastUsedAt) : "never"}</td>
              <td className="py-2">
                {t.revokedAt ? (
                  <span className="text-xs text-zinc-600 dark:text-zinc-400">revoked</span>
                ) : (
                  <Button
                    variant="danger"
                    aria-label={`Revoke ${t.name}`}
                    onClick={() => revoke.mutate({ tenant, tokenId: t.id })}
                  >
                    Revoke
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      ) : (
        <Empty>No token yet.</Empty>
      )}
      <form
        className="mt-3 flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          issue.mutate({
            tenant,
            serviceAccountId: account.id,
            name: tokenName,
            expiresAt: days ? new Date(Date.now() + days * 86_400_000) : null,
          });
        }}
      >
        <Field label="Token name">
          <Input
            value={tokenName}
            onChange={(e) => setTokenName(e.target.value)}
            placeholder="github-actions"
            required
          />
        </Field>
        <Field label="Expires after">
          <Select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {EXPIRIES.map((e) => (
              <option key={e.days} value={e.days}>
                {e.label}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" variant="plain" disabled={issue.isPending}>
          Create token
        </Button>
      </form>
    </Card>
  );
}
