// A flow, with its tabs as deep links: Overview, Edit, Revisions, Executions, Triggers. The flow is read
// through the same tRPC procedures as the browser, so a person who may not read it (or another tenant's
// person) gets a 404, and one who may not update it gets the editor read-only with the reason.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { DateTime } from "../../../../_components/date-time";
import { Markdown } from "../../../../_components/markdown";
import { NamespaceFilesPanel } from "../../../../_components/namespace-files";
import { LabelChip } from "../../../../_components/state-badge";
import { Card, Empty, Table } from "../../../../_components/ui";
import { FlowEditor } from "../../../_components/editor-loader";
import { FlowActions } from "../../../_components/flow-actions";
import { FlowExecutions } from "../../../_components/flow-executions";
import { FlowRevisions } from "../../../_components/flow-revisions";
import { FLOW_TABS, type FlowTab } from "../../../_components/flow-tab-list";
import { FlowTabs } from "../../../_components/flow-tabs";
import { FlowTriggers } from "../../../_components/flow-triggers";
import { loadFlow } from "../../../_lib/load-flow";

export const dynamic = "force-dynamic";

interface Params {
  namespace: string;
  id: string;
  tab?: string[];
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { namespace, id } = await params;
  return { title: `${namespace}.${id}` };
}

export default async function FlowPage({ params }: { params: Promise<Params> }) {
  const { tab: tabPath, ...raw } = await params;
  const namespace = decodeURIComponent(raw.namespace);
  const id = decodeURIComponent(raw.id);
  const base = `/flows/${namespace}/${id}`;
  const tab = (tabPath?.[0] ?? "overview") as FlowTab;
  if (!FLOW_TABS.some((t) => t.id === tab) || (tabPath?.length ?? 0) > 1) notFound();
  const { tenant, flow, context } = await loadFlow(namespace, id);
  const readOnlyReason = context.canUpdate ? undefined : `needs FLOW:UPDATE on ${namespace}`;

  let body: ReactNode;
  switch (tab) {
    case "edit":
      body = (
        <FlowEditor
          tenant={tenant.slug}
          flow={{ namespace, id, revision: flow.revision }}
          source={flow.source}
          {...(readOnlyReason ? { readOnlyReason } : {})}
          filesPanel={
            <NamespaceFilesPanel
              tenant={tenant.slug}
              namespace={namespace}
              readOnly={!context.canEditFiles}
            />
          }
        />
      );
      break;
    case "revisions":
      body = (
        <FlowRevisions tenant={tenant.slug} namespace={namespace} flowId={id} canUpdate={context.canUpdate} />
      );
      break;
    case "executions":
      body = <FlowExecutions tenant={tenant.slug} namespace={namespace} flowId={id} />;
      break;
    case "triggers":
      body = <FlowTriggers tenant={tenant.slug} namespace={namespace} flowId={id} />;
      break;
    default:
      body = <Overview tenant={tenant.slug} flow={flow} base={base} />;
  }

  return (
    <div className={tab === "edit" ? "mx-auto max-w-[1800px]" : "mx-auto max-w-6xl"}>
      <div className="mb-3 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="text-sm text-zinc-500">
            <Link href="/flows" className="hover:underline">
              Flows
            </Link>{" "}
            /{" "}
            <Link
              href={`/flows?namespace=${encodeURIComponent(namespace)}`}
              className="font-mono hover:underline"
            >
              {namespace}
            </Link>
          </p>
          <h1 className="flex items-center gap-2 text-2xl font-semibold tracking-tight">
            {id}
            {flow.disabled ? (
              <span className="rounded bg-zinc-200 px-1.5 py-0.5 text-xs font-semibold text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200">
                DISABLED
              </span>
            ) : null}
          </h1>
          <p className="text-xs text-zinc-500">
            Revision {flow.revision} · updated <DateTime iso={flow.updated} />
          </p>
        </div>
        <div className="flex items-center gap-2">
          {readOnlyReason && tab !== "edit" ? (
            <span className="text-xs text-zinc-500">Read-only: {readOnlyReason}</span>
          ) : null}
          <FlowActions
            tenant={tenant.slug}
            namespace={namespace}
            flowId={id}
            canExecute={context.canExecute}
            disabled={Boolean(flow.disabled)}
          />
        </div>
      </div>
      <FlowTabs base={base} current={tab} />
      {body}
    </div>
  );
}

function Overview({
  tenant,
  flow,
  base,
}: {
  tenant: string;
  flow: {
    namespace: string;
    id: string;
    description?: string;
    labels: { key: string; value: string }[];
    inputs: { id: string; type: string; required?: boolean }[];
    triggers: { id: string; type: string }[];
  };
  base: string;
}) {
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <div className="lg:col-span-2">
        <Card title="Description">
          {flow.description ? (
            <Markdown source={flow.description} />
          ) : (
            <Empty>No description: add `description:` to the flow.</Empty>
          )}
          {flow.labels.length ? (
            <div className="mt-4 flex flex-wrap gap-1">
              {flow.labels.map((label) => (
                <LabelChip key={`${label.key}:${label.value}`} label={label} />
              ))}
            </div>
          ) : null}
        </Card>
        <Card title="Last executions">
          <FlowExecutions
            tenant={tenant}
            namespace={flow.namespace}
            flowId={flow.id}
            size={5}
            paged={false}
          />
          <Link
            href={`${base}/executions`}
            className="mt-3 inline-block text-sm text-brand-600 hover:underline"
          >
            All executions
          </Link>
        </Card>
      </div>
      <div>
        <Card title="Inputs">
          {flow.inputs.length ? (
            <Table label="Inputs" head={["Id", "Type", "Required"]}>
              {flow.inputs.map((input) => (
                <tr key={input.id}>
                  <td className="py-1.5 pr-4 font-mono text-xs">{input.id}</td>
                  <td className="py-1.5 pr-4 text-xs">{input.type}</td>
                  <td className="py-1.5 text-xs">{input.required === false ? "no" : "yes"}</td>
                </tr>
              ))}
            </Table>
          ) : (
            <Empty>No inputs.</Empty>
          )}
        </Card>
        <Card title="Triggers">
          {flow.triggers.length ? (
            <ul className="space-y-1 text-sm">
              {flow.triggers.map((t) => (
                <li key={t.id}>
                  <span className="font-medium">{t.id}</span>{" "}
                  <span className="font-mono text-xs text-zinc-500">{t.type.split(".").at(-1)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <Empty>No triggers.</Empty>
          )}
          <Link
            href={`${base}/triggers`}
            className="mt-3 inline-block text-sm text-brand-600 hover:underline"
          >
            Trigger details
          </Link>
        </Card>
      </div>
    </div>
  );
}
