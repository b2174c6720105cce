"use client";
// The tenant's audit log, newest first, filtered by resource type and action.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../_trpc/react";
import { DateTime } from "../date-time";
import { Button, Card, Empty, ErrorText, Field, Input, Select, Table } from "../ui";

const RESOURCE_TYPES = [
  "FLOW",
  "EXECUTION",
  "NAMESPACE",
  "KVSTORE",
  "SECRET",
  "TRIGGER",
  "USER",
  "INVITATION",
  "GROUP",
  "ROLE",
  "BINDING",
  "APITOKEN",
  "SERVICE_ACCOUNT",
  "SETTING",
  "TENANT",
];

export function AuditLog({ tenant }: { tenant: string }) {
  const trpc = useTRPC();
  const [resourceType, setResourceType] = useState("");
  const [action, setAction] = useState("");
  const [page, setPage] = useState(1);
  const size = 50;
  const log = useQuery(
    trpc.audit.search.queryOptions({
      tenant,
      page,
      size,
      ...(resourceType ? { resourceType } : {}),
      ...(action ? { action: action.toUpperCase() } : {}),
    }),
  );
  const [open, setOpen] = useState<string | undefined>();
  return (
    <Card label="Audit log entries">
      <div className="mb-4 flex flex-wrap items-end gap-3">
        <Field label="Resource">
          <Select
            value={resourceType}
            onChange={(e) => {
              setResourceType(e.target.value);
              setPage(1);
            }}
            aria-label="Resource type"
          >
            <option value="">all</option>
            {RESOURCE_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Action">
          <Input
            value={action}
            onChange={(e) => {
              setAction(e.target.value);
              setPage(1);
            }}
            placeholder="CREATE, KILL…"
          />
        </Field>
      </div>
      <ErrorText>{log.error?.message}</ErrorText>
      {log.data && log.data.results.length === 0 ? <Empty>Nothing recorded with these filters.</Empty> : null}
      {log.data && log.data.results.length > 0 ? (
        <Table label="Audit log" head={["When", "Who", "Action", "Resource", "Changed"]}>
          {log.data.results.map((entry) => (
            <tr key={entry.id} className="align-top">
              <td className="py-2 pr-4 whitespace-nowrap">
                <DateTime iso={entry.date} />
              </td>
              <td className="py-2 pr-4">
                {entry.actor.name ?? entry.actor.type}
                {entry.ip ? (
                  <span className="block text-xs text-zinc-600 dark:text-zinc-400">{entry.ip}</span>
                ) : null}
              </td>
              <td className="py-2 pr-4 font-medium">{entry.action}</td>
              <td className="py-2 pr-4">
                {entry.resourceType} <span className="font-mono text-xs">{entry.resourceId}</span>
                {entry.namespace ? (
                  <span className="block text-xs text-zinc-600 dark:text-zinc-400">{entry.namespace}</span>
                ) : null}
              </td>
              <td className="py-2">
                <button
                  type="button"
                  className="text-brand-700 hover:underline dark:text-brand-100"
                  onClick={() => setOpen(open === entry.id ? undefined : entry.id)}
                >
                  {entry.changed.length > 0 ? entry.changed.join(", ") : "details"}
                </button>
                {open === entry.id ? (
                  <div className="mt-2 grid gap-2 md:grid-cols-2">
                    <pre className="max-h-64 overflow-auto rounded bg-zinc-100 p-2 text-xs dark:bg-zinc-800">
                      {JSON.stringify(entry.before, null, 2) ?? "—"}
                    </pre>
                    <pre className="max-h-64 overflow-auto rounded bg-zinc-100 p-2 text-xs dark:bg-zinc-800">
                      {JSON.stringify(entry.after, null, 2) ?? "—"}
                    </pre>
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      {log.data && log.data.total > size ? (
        <div className="mt-4 flex items-center gap-3 text-sm">
          <Button variant="plain" disabled={page === 1} onClick={() => setPage(page - 1)}>
            Newer
          </Button>
          <span>
            Page {page} of {Math.ceil(log.data.total / size)}
          </span>
          <Button variant="plain" disabled={page * size >= log.data.total} onClick={() => setPage(page + 1)}>
            Older
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
