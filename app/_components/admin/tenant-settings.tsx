"use client";
// The tenant's settings (server/services/settings.ts): its display name, and its settings object as JSON.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "../../_trpc/react";
import { Button, Card, ErrorText, Field, Input } from "../ui";
import { Loading } from "./states";

export function TenantSettings({ tenant }: { tenant: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.settings.get.queryOptions({ tenant }));
  const [name, setName] = useState("");
  const [json, setJson] = useState("{}");
  const [jsonError, setJsonError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!settings.data) return;
    setName(settings.data.name);
    setJson(JSON.stringify(settings.data.settings, null, 2));
  }, [settings.data]);
  const update = useMutation(
    trpc.settings.update.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        void queryClient.invalidateQueries();
      },
    }),
  );
  if (settings.isPending) return <Loading what="Loading settings" />;
  if (settings.error) return <ErrorText>{settings.error.message}</ErrorText>;
  return (
    <Card>
      <form
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          setSaved(false);
          let parsed: unknown;
          try {
            parsed = JSON.parse(json);
          } catch (error) {
            setJsonError(`The settings are not valid JSON: ${(error as Error).message}`);
            return;
          }
          if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
            setJsonError("The settings must be a JSON object, like {}.");
            return;
          }
          setJsonError(undefined);
          update.mutate({ tenant, name, settings: parsed as Record<string, unknown> });
        }}
      >
        <Field label="Slug (in every URL of the API; cannot change)">
          <Input value={settings.data.slug} readOnly className="w-72 bg-zinc-100 dark:bg-zinc-900" />
        </Field>
        <Field label="Display name">
          <Input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={100}
            className="w-72"
          />
        </Field>
        <Field label="Settings (JSON object)">
          <textarea
            value={json}
            onChange={(e) => setJson(e.target.value)}
            rows={8}
            spellCheck={false}
            className="rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-950"
          />
        </Field>
        <ErrorText>{jsonError ?? update.error?.message}</ErrorText>
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={update.isPending}>
            Save
          </Button>
          {saved ? (
            <span role="status" className="text-sm text-green-800 dark:text-green-300">
              Saved.
            </span>
          ) : null}
        </div>
      </form>
    </Card>
  );
}
