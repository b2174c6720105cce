"use client";
// Where a role applies: the whole tenant, or one of the tenant's namespaces (and its children), chosen from
// the namespaces that exist rather than typed.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../_trpc/react";
import { Select } from "../ui";

export function NamespacePicker({
  tenant,
  value,
  onChange,
  label = "Namespace",
  emptyLabel = "whole tenant",
}: {
  tenant: string;
  /** "" for the whole tenant. */
  value: string;
  onChange: (namespace: string) => void;
  label?: string;
  /** What "" means here. */
  emptyLabel?: string;
}) {
  const trpc = useTRPC();
  const tree = useQuery(trpc.console.namespaceTree.queryOptions({ tenant }));
  return (
    <Select value={value} onChange={(e) => onChange(e.target.value)} aria-label={label}>
      <option value="">{emptyLabel}</option>
      {(tree.data ?? []).map((n) => (
        <option key={n.id} value={n.id}>
          {n.id}
        </option>
      ))}
    </Select>
  );
}
