"use client";
// The "name + optional description" create form that groups, service accounts and namespaces share. It
// keeps its own fields and clears them once `onCreate` resolves; a refusal stays on screen with the text.
import { useState } from "react";
import { Button, ErrorText, Field, Input } from "./ui";

export function NameDescriptionForm({
  nameLabel = "Name",
  placeholder,
  submitLabel = "Create",
  pending,
  error,
  onCreate,
  className = "flex flex-wrap items-end gap-3",
}: {
  nameLabel?: string;
  placeholder: string;
  submitLabel?: string;
  pending: boolean;
  error?: string;
  onCreate: (values: { name: string; description?: string }) => Promise<unknown>;
  className?: string;
}) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  return (
    <>
      <form
        className={className}
        onSubmit={(event) => {
          event.preventDefault();
          const text = description.trim();
          onCreate({ name: name.trim(), ...(text ? { description: text } : {}) }).then(
            () => {
              setName("");
              setDescription("");
            },
            () => undefined, // the mutation's error is shown below
          );
        }}
      >
        <Field label={nameLabel}>
          <Input value={name} onChange={(e) => setName(e.target.value)} placeholder={placeholder} required />
        </Field>
        <Field label="Description (optional)">
          <Input value={description} onChange={(e) => setDescription(e.target.value)} className="w-80" />
        </Field>
        <Button type="submit" disabled={pending}>
          {submitLabel}
        </Button>
      </form>
      <ErrorText>{error}</ErrorText>
    </>
  );
}
