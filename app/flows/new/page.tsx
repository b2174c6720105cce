// A new flow in the editor, from Kestra's starter template or a blueprint (`?blueprint=community/<id>` or
// `custom/<id>`, with `&namespace=` to put it in); Save creates it (FLOW:CREATE on its namespace).
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/server/db/client";
import { getPreferences } from "@/server/services/preferences";
import { Card } from "../../_components/ui";
import { serverCaller } from "../../_lib/trpc-server";
import { requireViewer } from "../../_lib/viewer";
import { FlowEditor } from "../_components/editor-loader";

export const metadata: Metadata = { title: "New flow" };
export const dynamic = "force-dynamic";

const TEMPLATE = `id: my_flow
namespace: company.team

tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: Hello World!
`;

/** The blueprint's YAML with its namespace replaced, or undefined when it cannot be read. */
async function blueprintSource(
  caller: Awaited<ReturnType<typeof serverCaller>>,
  tenant: string,
  ref: string,
  namespace: string | undefined,
): Promise<string | undefined> {
  const [kind, id] = ref.split("/");
  if (!id || (kind !== "community" && kind !== "custom")) return undefined;
  try {
    const blueprint =
      kind === "community"
        ? await caller.blueprints.community({ tenant, id })
        : await caller.blueprints.custom({ tenant, id });
    const source = blueprint.source;
    if (!namespace || !/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/i.test(namespace)) return source;
    return source.replace(/^namespace:.*$/m, `namespace: ${namespace}`);
  } catch {
    return undefined;
  }
}

export default async function NewFlowPage({
  searchParams,
}: {
  searchParams: Promise<{ blueprint?: string; namespace?: string }>;
}) {
  const { blueprint, namespace } = await searchParams;
  const { tenant, user } = await requireViewer("/flows/new");
  if (!tenant)
    return (
      <Card>
        You belong to no tenant yet:{" "}
        <Link href="/tenants/new" className="text-brand-600 hover:underline">
          create one
        </Link>
        .
      </Card>
    );
  const caller = await serverCaller();
  const { canCreate } = await caller.flows.editorContext({ tenant: tenant.slug });
  const fromBlueprint = blueprint
    ? await blueprintSource(caller, tenant.slug, blueprint, namespace)
    : undefined;
  // A new flow starts in the person's default namespace (/account), else Kestra's usual company.team.
  const { defaultNamespace } = await getPreferences(getDb(), user.id);
  const template = defaultNamespace
    ? TEMPLATE.replace("namespace: company.team", `namespace: ${defaultNamespace}`)
    : TEMPLATE;
  return (
    <div className="mx-auto max-w-[1800px]">
      <p className="text-sm text-zinc-500">
        <Link href="/flows" className="hover:underline">
          Flows
        </Link>{" "}
        / new
      </p>
      <h1 className="mb-3 text-2xl font-semibold tracking-tight">New flow</h1>
      {blueprint && !fromBlueprint ? (
        <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-300">
          The blueprint {blueprint} could not be found: starting from the template instead.
        </p>
      ) : null}
      <FlowEditor
        tenant={tenant.slug}
        source={fromBlueprint ?? template}
        {...(canCreate ? {} : { readOnlyReason: "needs FLOW:CREATE in this tenant" })}
      />
    </div>
  );
}
