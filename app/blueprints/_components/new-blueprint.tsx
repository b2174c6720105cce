"use client";
// Saving a flow's YAML as a blueprint of the tenant (BLUEPRINT:CREATE; the server validates the YAML).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Dialog } from "@/app/_components/dialog";
import { Button, ErrorText, Field, Input } from "../../_components/ui";
import { useTRPC } from "../../_trpc/react";

export function NewBlueprintDialog({ tenant, onClose }: { tenant: string; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState("");
  const [tags, setTags] = useState("");
  const [description, setDescription] = useState("");
  const [source, setSource] = useState("");
  const create = useMutation(
    trpc.blueprints.create.mutationOptions({
      onSuccess: (saved) => {
        void queryClient.invalidateQueries({ queryKey: trpc.blueprints.customSearch.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.blueprints.customTags.queryKey() });
        router.push(`/blueprints/custom/${saved.id}`);
      },
    }),
  );
  return (
    <Dialog open title="New blueprint of this tenant" onClose={onClose}>
      <form
        className="flex flex-col gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate({
            tenant,
            title,
            description,
            tags: tags
              .split(",")
              .map((t) => t.trim())
              .filter(Boolean),
            source,
          });
        }}
      >
        <Field label="Title">
          <Input required maxLength={120} value={title} onChange={(e) => setTitle(e.target.value)} />
        </Field>
        <Field label="Tags (comma-separated)">
          <Input value={tags} onChange={(e) => setTags(e.target.value)} placeholder="ETL, Python" />
        </Field>
        <Field label="Description (Markdown)">
          <textarea
            rows={3}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            className="rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-950"
          />
        </Field>
        <Field label="Flow YAML">
          <textarea
            required
            rows={10}
            spellCheck={false}
            value={source}
            onChange={(e) => setSource(e.target.value)}
            placeholder={
              "id: my_flow\nnamespace: company.team\ntasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: Hello"
            }
            className="rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
          />
        </Field>
        <ErrorText>{create.error?.message}</ErrorText>
        <div className="flex justify-end gap-2">
          <Button variant="plain" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Saving…" : "Save blueprint"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
