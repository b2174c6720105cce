"use client";
// API tokens of the signed-in user in the current tenant: create (the token is shown once), list, revoke.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../_trpc/react";
import { DateTime } from "../date-time";
import { Button, Card, Empty, ErrorText, Field, Input, Select, Table } from "../ui";

const EXPIRIES = [
  { label: "30 days", days: 30 },
  { label: "90 days", days: 90 },
  { label: "1 year", days: 365 },
  { label: "No expiry", days: 0 },
];

export function ApiTokens({ tenant }: { tenant: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.tokens.list.queryOptions({ tenant }));
  const [name, setName] = useState("");
  const [days, setDays] = useState(90);
  const [shown, setShown] = useState<{ name: string; token: string } | undefined>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: (created) => {
        setShown({ name: created.name, token: created.token });
        setName("");
        void refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: () => void refresh() }));

  return (
    <>
      <Card title="Create a token">
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate({
              tenant,
              name,
              expiresAt: days ? new Date(Date.now() + days * 86_400_000) : null,
            });
          }}
        >
          <Field label="Name">
            <Input
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              maxLength={100}
              placeholder="ci-deploy"
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
          <Button type="submit" disabled={create.isPending}>
            Create token
          </Button>
        </form>
        <ErrorText>{create.error?.message}</ErrorText>
        {shown ? (
          <div
            role="status"
            className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950"
          >
            <p className="font-medium">Token “{shown.name}” — copy it now: it will not be shown again.</p>
            <code data-testid="new-token" className="mt-2 block break-all font-mono">
              {shown.token}
            </code>
            <p className="mt-2 text-zinc-600 dark:text-zinc-400">
              Use it as <code>Authorization: Bearer …</code>, or{" "}
              <code>CADENZA_TOKEN=… npx cadenza flow deploy</code>.
            </p>
          </div>
        ) : null}
      </Card>
      <Card title="Your tokens in this tenant">
        {tokens.isLoading ? <Empty>Loading…</Empty> : null}
        <ErrorText>{tokens.error?.message}</ErrorText>
        {tokens.data && tokens.data.length === 0 ? <Empty>No tokens yet: create one above.</Empty> : null}
        {tokens.data && tokens.data.length > 0 ? (
          <Table label="API tokens" head={["Name", "Token", "Expires", "Last used", "Status", ""]}>
            {tokens.data.map((t) => (
              <tr key={t.id}>
                <td className="py-2 pr-4">{t.name}</td>
                <td className="py-2 pr-4 font-mono">{t.prefix}…</td>
                <td className="py-2 pr-4">{t.expiresAt ? <DateTime iso={t.expiresAt} /> : "never"}</td>
                <td className="py-2 pr-4">{t.lastUsedAt ? <DateTime iso={t.lastUsedAt} /> : "never"}</td>
                <td className="py-2 pr-4">
                  {t.revokedAt
                    ? "revoked"
                    : t.expiresAt && new Date(t.expiresAt) < new Date()
                      ? "expired"
                      : "active"}
                </td>
                <td className="py-2">
                  {t.revokedAt ? null : (
                    <Button
                      variant="danger"
                      onClick={() => revoke.mutate({ tenant, tokenId: t.id })}
                      aria-label={`Revoke ${t.name}`}
                    >
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        ) : null}
      </Card>
    </>
  );
}
