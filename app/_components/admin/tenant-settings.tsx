"use client";
// The tenant's settings (server/services/settings.ts): its display name, the settings the engine reads
// as form fields (namespace isolation), and any other keys of the settings object as JSON, kept as they are.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "../../_trpc/react";
import { Button, Card, ErrorText, Field, Input, Select } from "../ui";
import { Loading } from "./states";

/** The keys the form edits as fields; the JSON box holds the rest. */
const FIELD_KEYS = ["namespaceIsolation"] as const;
type Isolation = "strict" | "open";

function withoutFieldKeys(settings: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(settings).filter(([key]) => !(FIELD_KEYS as readonly string[]).includes(key)),
  );
}

export function TenantSettings({ tenant }: { tenant: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.settings.get.queryOptions({ tenant }));
  const [name, setName] = useState("");
  const [isolation, setIsolation] = useState<Isolation>("strict");
  const [json, setJson] = useState("{}");
  const [jsonError, setJsonError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!settings.data) return;
    setName(settings.data.name);
    setIsolation(settings.data.settings.namespaceIsolation === "open" ? "open" : "strict");
    setJson(JSON.stringify(withoutFieldKeys(settings.data.settings), null, 2));
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
          update.mutate({
            tenant,
            name,
            settings: {
              ...withoutFieldKeys(parsed as Record<string, unknown>),
              namespaceIsolation: isolation,
            },
          });
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
        <Field label="Namespace isolation">
          <Select
            value={isolation}
            onChange={(e) => setIsolation(e.target.value as Isolation)}
            className="w-72"
            aria-describedby="isolation-help"
          >
            <option value="strict">Strict (default)</option>
            <option value="open">Open</option>
          </Select>
        </Field>
        <p id="isolation-help" className="-mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          {isolation === "strict"
            ? "A flow reaches only its own namespace, its child namespaces and the namespaces that allow it (a namespace's Allowed namespaces): their KV store, files, flows as subflows and flow triggers."
            : "No boundaries between namespaces: any flow of this tenant may read any namespace's KV store and files, and run or trigger any flow."}
        </p>
        <details className="rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800">
          <summary className="cursor-pointer text-sm font-medium">Other settings (JSON)</summary>
          <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
            Keys the fields above do not cover, kept as they are for API clients that store their own.
          </p>
          <textarea
            aria-label="Other settings (JSON object)"
            value={json}
            onChange={(e) => setJson(e.target.value)}
            rows={6}
            spellCheck={false}
            className="mt-2 w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-950"
          />
        </details>
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
