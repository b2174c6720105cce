// The flows list (UI and REST `GET /flows/search`): text, namespace prefix and labels filters, keyset
// pagination, and per flow what the list shows beside it — labels, trigger count, the last execution's
// state and date. Labels live only in a flow's YAML (no column), so a labels filter reads each candidate's
// labels through a small cache keyed by revision: a revision never changes once saved.
import { loadFlow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import { filterAllows, namespaceOrChildren, namespaceWhere } from "../access/authorize";
import { UnprocessableError } from "./errors";
import { listFilter, type ServiceScope } from "./scope";

export interface FlowListItem {
  id: string;
  namespace: string;
  revision: number;
  disabled: boolean;
  deleted: boolean;
  updated: string;
  labels: { key: string; value: string }[];
  triggerCount: number;
  lastExecution?: { id: string; state: string; startDate: string; endDate?: string };
}

export interface FlowSearchQuery {
  namespace?: string;
  q?: string;
  labels?: { key: string; value: string }[];
  /** Opaque: the `next` of the previous page. Without it, `page` (1-based) is used. */
  after?: string;
  page?: number;
  size: number;
}

export interface FlowSearchPage {
  results: FlowListItem[];
  total: number;
  /** Cursor of the next page; absent on the last. */
  next?: string;
}

const registry = builtInRegistry();
interface Parsed {
  labels: { key: string; value: string }[];
  triggerCount: number;
}
const parsedCache = new Map<string, Parsed>();
const CACHE_LIMIT = 10_000;

/** Labels and trigger count of a revision (flow rows keep only the distinct trigger types). */
function parsedOf(
  tenantId: string,
  row: { namespace: string; id: string; revision: number; source: string },
) {
  const key = `${tenantId}\u0000${row.namespace}\u0000${row.id}\u0000${row.revision}`;
  let parsed = parsedCache.get(key);
  if (!parsed) {
    const flow = loadFlow(row.source, { registry }).flow;
    parsed = { labels: flow?.labels ?? [], triggerCount: flow?.triggers.length ?? 0 };
    if (parsedCache.size >= CACHE_LIMIT) parsedCache.delete(parsedCache.keys().next().value as string);
    parsedCache.set(key, parsed);
  }
  return parsed;
}

function encodeCursor(namespace: string, id: string): string {
  return Buffer.from(JSON.stringify([namespace, id])).toString("base64url");
}

function decodeCursor(cursor: string): { namespace: string; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(value) && typeof value[0] === "string" && typeof value[1] === "string")
      return { namespace: value[0], id: value[1] };
  } catch {
    // falls through to the error below
  }
  throw new UnprocessableError("Invalid cursor `after`: pass the `next` of the previous page unchanged.");
}

function hasLabels(have: { key: string; value: string }[], want: { key: string; value: string }[]): boolean {
  return want.every((w) => have.some((h) => h.key === w.key && String(h.value) === w.value));
}

export async function searchFlows(scope: ServiceScope, query: FlowSearchQuery): Promise<FlowSearchPage> {
  const filter = listFilter(scope, "FLOW", "READ");
  const base = [
    namespaceWhere(filter),
    query.namespace ? namespaceOrChildren(query.namespace) : {},
    query.q
      ? {
          OR: [
            { id: { contains: query.q, mode: "insensitive" as const } },
            { namespace: { contains: query.q, mode: "insensitive" as const } },
          ],
        }
      : {},
    { deleted: false },
  ];
  const cursor = query.after ? decodeCursor(query.after) : undefined;
  const afterWhere = cursor
    ? {
        OR: [{ namespace: { gt: cursor.namespace } }, { namespace: cursor.namespace, id: { gt: cursor.id } }],
      }
    : {};
  const orderBy = [{ namespace: "asc" as const }, { id: "asc" as const }];
  const labels = query.labels ?? [];
  const visible = <T extends { namespace: string }>(rows: T[]) =>
    rows.filter((row) => filterAllows(filter, row.namespace));

  let rows: {
    namespace: string;
    id: string;
    revision: number;
    disabled: boolean;
    deleted: boolean;
    updatedAt: Date;
    source: string;
  }[];
  let total: number;
  let more: boolean;
  if (labels.length === 0) {
    const skip = cursor ? 0 : ((query.page ?? 1) - 1) * query.size;
    const [found, count] = await Promise.all([
      scope.db.flow.findMany({
        where: { AND: [...base, afterWhere] },
        orderBy,
        skip,
        take: query.size + 1,
      }),
      scope.db.flow.count({ where: { AND: base } }),
    ]);
    more = found.length > query.size;
    rows = visible(found.slice(0, query.size));
    total = count;
  } else {
    // Labels are in the YAML: filter every candidate, then page through what matched.
    const all = visible(await scope.db.flow.findMany({ where: { AND: base }, orderBy })).filter((row) =>
      hasLabels(parsedOf(scope.tenant.id, row).labels, labels),
    );
    total = all.length;
    const start = cursor
      ? all.findIndex(
          (row) =>
            row.namespace > cursor.namespace || (row.namespace === cursor.namespace && row.id > cursor.id),
        )
      : ((query.page ?? 1) - 1) * query.size;
    const from = start < 0 ? all.length : start;
    rows = all.slice(from, from + query.size);
    more = from + query.size < all.length;
  }

  const last = await Promise.all(
    rows.map((row) =>
      scope.db.execution.findFirst({
        where: { namespace: row.namespace, flowId: row.id },
        orderBy: { startDate: "desc" },
        select: { id: true, state: true, startDate: true, endDate: true },
      }),
    ),
  );
  const results = rows.map((row, i): FlowListItem => {
    const execution = last[i];
    const parsed = parsedOf(scope.tenant.id, row);
    return {
      id: row.id,
      namespace: row.namespace,
      revision: row.revision,
      disabled: row.disabled,
      deleted: row.deleted,
      updated: row.updatedAt.toISOString(),
      labels: parsed.labels,
      triggerCount: parsed.triggerCount,
      ...(execution
        ? {
            lastExecution: {
              id: execution.id,
              state: execution.state,
              startDate: execution.startDate.toISOString(),
              ...(execution.endDate ? { endDate: execution.endDate.toISOString() } : {}),
            },
          }
        : {}),
    };
  });
  const tail = rows.at(-1);
  return { results, total, ...(more && tail ? { next: encodeCursor(tail.namespace, tail.id) } : {}) };
}
