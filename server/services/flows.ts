// Flows: YAML in, validated with the flow language (errors carry line and column), stored as revisions
// by the embedded engine's flow store (every saved revision kept), audited.

import { isMap, isScalar, isSeq, parseDocument } from "yaml";
import { type Flow, type FlowError, type FlowLoad, loadFlow, loadFlows } from "@/engine/flow";
import type { PluginRegistry } from "@/engine/plugin";
import { builtInRegistry } from "@/plugins";
import { deleteFlow as deleteStoredFlow, saveFlowRevision } from "@/worker/embedded";
import { can, filterAllows, namespaceOrChildren, namespaceWhere } from "../access/authorize";
import { ConflictError, NotFoundError, UnprocessableError } from "./errors";
import { syncFlowSchedules } from "./schedules";
import { audit, check, listFilter, type Page, type Paged, paging, type ServiceScope, sqlIn } from "./scope";

let registry: PluginRegistry | undefined;
function plugins(): PluginRegistry {
  registry ??= builtInRegistry();
  return registry;
}

export interface FlowSummary {
  id: string;
  namespace: string;
  revision: number;
  disabled: boolean;
  deleted: boolean;
  updated: string;
}

export interface FlowDetail extends FlowSummary {
  description?: string;
  labels: { key: string; value: string }[];
  inputs: { id: string; type: string; required?: boolean }[];
  triggers: { id: string; type: string }[];
  source: string;
}

export interface FlowValidation {
  index: number;
  id?: string;
  namespace?: string;
  valid: boolean;
  errors: FlowError[];
  warnings: FlowError[];
  /** Kestra's one-line summary of the errors, absent when valid. */
  constraints?: string;
}

/** `line 3, column 5: tasks[0].type: ...; ...` */
export function describeFlowErrors(errors: readonly FlowError[]): string {
  return errors
    .map((e) => `line ${e.line}, column ${e.column}: ${e.path ? `${e.path}: ` : ""}${e.message}`)
    .join("; ");
}

/** A flow from its YAML, or a 422 naming each problem with its line and column. */
export function parseOrThrow(source: string): { flow: Flow; load: FlowLoad } {
  const load = loadFlow(source, { registry: plugins() });
  if (!load.flow)
    throw new UnprocessableError(`Invalid flow: ${describeFlowErrors(load.errors)}`, load.errors);
  return { flow: load.flow, load };
}

/** What a webhook trigger's key reads as for those who may not change the flow. */
export const HIDDEN_WEBHOOK_KEY = "******";

/**
 * The flow's source as `scope` may see it: a webhook trigger's `key` is the credential that starts the flow,
 * so only those who may change the flow (FLOW:UPDATE on its namespace) read it; for everyone else it is
 * HIDDEN_WEBHOOK_KEY. Every path that returns a flow's source (REST, tRPC, revisions, search) goes through
 * detail() or flowRevisions(), which call this.
 */
export function visibleSource(scope: ServiceScope, namespace: string, source: string): string {
  if (can(scope.principal, "FLOW", "UPDATE", { tenant: scope.tenant, namespace })) return source;
  return hideWebhookKeys(source);
}

/** The source with every webhook trigger's key replaced (comments and layout kept). */
export function hideWebhookKeys(source: string): string {
  const document = parseDocument(source);
  // Stored flows parsed when saved; should one not, show nothing of it rather than a key.
  if (document.errors.length > 0)
    return /webhook/i.test(source) ? "# This flow's source cannot be shown.\n" : source;
  const triggers = document.get("triggers");
  if (!isSeq(triggers)) return source;
  let changed = false;
  for (const trigger of triggers.items) {
    if (!isMap(trigger)) continue;
    const type = trigger.get("type");
    const key = trigger.get("key", true);
    if (typeof type !== "string" || key === undefined) continue;
    if (plugins().get(type)?.type !== "core.trigger.Webhook") continue;
    if (isScalar(key) && key.value === HIDDEN_WEBHOOK_KEY) continue;
    trigger.set("key", HIDDEN_WEBHOOK_KEY);
    changed = true;
  }
  return changed ? document.toString() : source;
}

function detail(
  scope: ServiceScope,
  row: {
    namespace: string;
    id: string;
    revision: number;
    disabled: boolean;
    deleted: boolean;
    updatedAt: Date;
    source: string;
  },
): FlowDetail {
  const flow = loadFlow(row.source, { registry: plugins() }).flow;
  return {
    ...summary(row),
    ...(flow?.description ? { description: flow.description } : {}),
    labels: flow?.labels ?? [],
    inputs: (flow?.inputs ?? []).map((input) => ({
      id: input.id,
      type: input.type,
      ...(input.required !== undefined ? { required: input.required } : {}),
    })),
    triggers: (flow?.triggers ?? []).map((trigger) => ({ id: trigger.id, type: trigger.type })),
    source: visibleSource(scope, row.namespace, row.source),
  };
}

function summary(row: {
  namespace: string;
  id: string;
  revision: number;
  disabled: boolean;
  deleted: boolean;
  updatedAt: Date;
}): FlowSummary {
  return {
    id: row.id,
    namespace: row.namespace,
    revision: row.revision,
    disabled: row.disabled,
    deleted: row.deleted,
    updated: row.updatedAt.toISOString(),
  };
}

/** Validates one or more YAML documents (separated by `---`) without saving anything. */
/**
 * Validation reads nothing of the tenant, but like every flow operation it needs FLOW:READ: somewhere in
 * the tenant before anything is parsed (403 otherwise), then in each namespace a document declares.
 */
export function validateFlows(scope: ServiceScope, text: string): FlowValidation[] {
  listFilter(scope, "FLOW", "READ");
  const results = loadFlows(text, { registry: plugins() }).map((load, index) => {
    const raw = load.flow ?? documentValue(load);
    const id = typeof raw?.id === "string" ? raw.id : undefined;
    const namespace = typeof raw?.namespace === "string" ? raw.namespace : undefined;
    return {
      index,
      ...(id ? { id } : {}),
      ...(namespace ? { namespace } : {}),
      valid: load.errors.length === 0,
      errors: load.errors,
      warnings: load.warnings,
      ...(load.errors.length > 0 ? { constraints: describeFlowErrors(load.errors) } : {}),
    };
  });
  for (const result of results)
    if (result.namespace !== undefined) check(scope, "FLOW", "READ", result.namespace);
  return results;
}

function documentValue(load: FlowLoad): { id?: unknown; namespace?: unknown } | undefined {
  try {
    const value = load.source.document.toJS() as unknown;
    return value && typeof value === "object" ? (value as { id?: unknown; namespace?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

async function save(
  scope: ServiceScope,
  flow: Flow,
  source: string,
  before: string | undefined,
): Promise<void> {
  const engine = await scope.engine();
  await scope.db.$transaction(async (tx) => {
    const saved = await saveFlowRevision(sqlIn(tx), engine.ctx.registry, scope.tenant.id, flow, source, {
      ...(scope.principal.kind === "user" ? { authorId: scope.principal.id } : {}),
    });
    if (saved.changed)
      await audit(
        scope,
        {
          action: before === undefined ? "CREATE" : "UPDATE",
          resourceType: "FLOW",
          resourceId: `${flow.namespace}.${flow.id}`,
          namespace: flow.namespace,
          before: before === undefined ? undefined : { source: before },
          after: { revision: saved.revision, source },
        },
        tx,
      );
  });
  await syncFlowSchedules(engine, scope.tenant.id, flow);
}

async function current(scope: ServiceScope, namespace: string, id: string) {
  return scope.db.flow.findUnique({
    where: { tenantId_namespace_id: { tenantId: scope.tenant.id, namespace, id } },
  });
}

/** Creates a flow from YAML; 409 when it exists already (use update). */
export async function createFlow(scope: ServiceScope, source: string): Promise<FlowDetail> {
  const { flow } = parseOrThrow(source);
  const existing = await current(scope, flow.namespace, flow.id);
  if (existing && !existing.deleted)
    throw new ConflictError(
      `Flow ${flow.namespace}.${flow.id} already exists: update it with PUT /flows/${flow.namespace}/${flow.id}.`,
    );
  await save(scope, flow, source, undefined);
  return getFlow(scope, flow.namespace, flow.id);
}

/** Saves a new revision of an existing flow (nothing when the source is unchanged). */
export async function updateFlow(
  scope: ServiceScope,
  namespace: string,
  id: string,
  source: string,
): Promise<FlowDetail> {
  const { flow } = parseOrThrow(source);
  if (flow.namespace !== namespace || flow.id !== id)
    throw new UnprocessableError(
      `The flow's YAML says ${flow.namespace}.${flow.id} but the path says ${namespace}.${id}: a flow's id and namespace cannot change.`,
    );
  const existing = await current(scope, namespace, id);
  if (!existing || existing.deleted) throw new NotFoundError(`Flow ${namespace}.${id} not found.`);
  await save(scope, flow, source, existing.source);
  return getFlow(scope, namespace, id);
}

export async function getFlow(
  scope: ServiceScope,
  namespace: string,
  id: string,
  options: { revision?: number; allowDeleted?: boolean } = {},
): Promise<FlowDetail> {
  check(scope, "FLOW", "READ", namespace);
  const row = await current(scope, namespace, id);
  if (!row || (row.deleted && !options.allowDeleted))
    throw new NotFoundError(`Flow ${namespace}.${id} not found.`);
  if (options.revision === undefined || options.revision === row.revision) return detail(scope, row);
  const revision = await scope.db.flowRevision.findUnique({
    where: {
      tenantId_namespace_flowId_revision: {
        tenantId: scope.tenant.id,
        namespace,
        flowId: id,
        revision: options.revision,
      },
    },
  });
  if (!revision) throw new NotFoundError(`Flow ${namespace}.${id} has no revision ${options.revision}.`);
  return detail(scope, {
    ...row,
    revision: revision.revision,
    source: revision.source,
    updatedAt: revision.createdAt,
  });
}

export async function listFlows(
  scope: ServiceScope,
  query: { namespace?: string; q?: string; includeDeleted?: boolean } & Page,
): Promise<Paged<FlowSummary>> {
  const filter = listFilter(scope, "FLOW", "READ");
  const where = {
    AND: [
      namespaceWhere(filter),
      query.namespace ? namespaceOrChildren(query.namespace) : {},
      query.q
        ? {
            OR: [
              { id: { contains: query.q, mode: "insensitive" as const } },
              { namespace: { contains: query.q } },
            ],
          }
        : {},
      query.includeDeleted ? {} : { deleted: false },
    ],
  };
  const [rows, total] = await Promise.all([
    scope.db.flow.findMany({ where, orderBy: [{ namespace: "asc" }, { id: "asc" }], ...paging(query) }),
    scope.db.flow.count({ where }),
  ]);
  return { results: rows.filter((row) => filterAllows(filter, row.namespace)).map(summary), total };
}

/** Every current flow of exactly this namespace (Kestra's GET /flows/{namespace}). */
export async function flowsOfNamespace(scope: ServiceScope, namespace: string): Promise<FlowDetail[]> {
  const rows = await scope.db.flow.findMany({ where: { namespace, deleted: false }, orderBy: { id: "asc" } });
  return rows.map((row) => detail(scope, row));
}

export async function deleteFlow(scope: ServiceScope, namespace: string, id: string): Promise<void> {
  check(scope, "FLOW", "DELETE", namespace);
  const existing = await current(scope, namespace, id);
  if (!existing || existing.deleted) throw new NotFoundError(`Flow ${namespace}.${id} not found.`);
  const engine = await scope.engine();
  await scope.db.$transaction(async (tx) => {
    await deleteStoredFlow(sqlIn(tx), engine.ctx.registry, scope.tenant.id, namespace, id);
    await audit(
      scope,
      {
        action: "DELETE",
        resourceType: "FLOW",
        resourceId: `${namespace}.${id}`,
        namespace,
        before: { revision: existing.revision, source: existing.source },
      },
      tx,
    );
  });
  await syncFlowSchedules(engine, scope.tenant.id, { namespace, id });
}

export interface FlowRevisionInfo {
  revision: number;
  created: string;
  authorId: string | null;
  source: string;
}

export async function flowRevisions(
  scope: ServiceScope,
  namespace: string,
  id: string,
): Promise<FlowRevisionInfo[]> {
  const rows = await scope.db.flowRevision.findMany({
    where: { namespace, flowId: id },
    orderBy: { revision: "asc" },
  });
  if (rows.length === 0) throw new NotFoundError(`Flow ${namespace}.${id} not found.`);
  return rows.map((row) => ({
    revision: row.revision,
    created: row.createdAt.toISOString(),
    authorId: row.authorId,
    source: visibleSource(scope, namespace, row.source),
  }));
}
