// Blueprints: flows to start from. Two kinds —
//   community: Cadenza's own, the folders of blueprints/ (tested in CI), the same for every tenant;
//   custom:    a tenant's own, saved by its Editors from a flow's YAML, stored in tenant_blueprints.
// Reading either needs BLUEPRINT:READ; writing custom ones BLUEPRINT:CREATE/UPDATE/DELETE, audited.
import { existsSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { FlowGraph } from "@/engine/graph";
import { builtInRegistry } from "@/plugins";
import { type CatalogBlueprint, loadCatalog, TEST_SERVER, typesOf } from "./blueprint-catalog";
import { NotFoundError } from "./errors";
import { parseOrThrow } from "./flows";
import { graphOfSource } from "./graphs";
import { audit, type ServiceScope } from "./scope";

export type BlueprintKind = "community" | "custom";

export interface BlueprintSummary {
  id: string;
  kind: BlueprintKind;
  title: string;
  /** The description's first paragraph as plain text, at most 240 characters. */
  excerpt: string;
  tags: string[];
  /** Canonical plugin types the flow uses (tasks, triggers, conditions). */
  includedTasks: string[];
  /** The flow's namespace and id as written in its YAML. */
  namespace: string;
  flowId: string;
  updated?: string;
}

export interface BlueprintDetail extends BlueprintSummary {
  /** Markdown. */
  description: string;
  /** The flow's YAML. */
  source: string;
  graph: FlowGraph;
  /** Community blueprints: inputs to try it with (URLs of test servers left out). */
  exampleInputs?: Record<string, unknown>;
  /** Community blueprints: other flows it needs, to deploy first. */
  companions?: { file: string; source: string }[];
  createdBy?: string | null;
}

export interface BlueprintTag {
  name: string;
  count: number;
}

export interface BlueprintSearch {
  q?: string;
  tags?: string[];
}

export interface CustomBlueprintInput {
  title: string;
  description?: string;
  tags?: string[];
  source: string;
}

const registry = builtInRegistry();

let catalog: CatalogBlueprint[] | undefined;
/**
 * The community catalog, read once per process from `blueprints/` of the directory Cadenza runs in (the
 * checkout: `npm start` and `cadenza start` run there). Tests pass their own folder with `useCatalogDir`.
 */
function community(): CatalogBlueprint[] {
  if (!catalog) {
    if (existsSync(catalogDir)) catalog = loadCatalog(catalogDir, registry);
    else {
      console.warn(`cadenza: no blueprints in ${catalogDir}: run Cadenza from its checkout to show them.`);
      catalog = [];
    }
  }
  return catalog;
}
let catalogDir = path.join(process.cwd(), "blueprints");
export function useCatalogDir(dir: string): void {
  catalogDir = dir;
  catalog = undefined;
}

/** Plain text of a Markdown description's first paragraph. */
export function excerptOf(markdown: string, max = 240): string {
  const paragraph = markdown.trim().split(/\n\s*\n/)[0] ?? "";
  const text = paragraph
    .replace(/`([^`]*)`/g, "$1")
    .replace(/\*\*([^*]*)\*\*/g, "$1")
    .replace(/\*([^*]*)\*/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

function matches(summary: BlueprintSummary, description: string, search: BlueprintSearch): boolean {
  const wanted = (search.tags ?? []).map((t) => t.toLowerCase());
  const tags = summary.tags.map((t) => t.toLowerCase());
  if (!wanted.every((t) => tags.includes(t))) return false;
  const q = search.q?.trim().toLowerCase();
  if (!q) return true;
  const haystack = [
    summary.title,
    description,
    summary.id,
    summary.flowId,
    ...summary.tags,
    ...summary.includedTasks,
  ]
    .join("\n")
    .toLowerCase();
  return q.split(/\s+/).every((word) => haystack.includes(word));
}

function communitySummary(b: CatalogBlueprint): BlueprintSummary {
  return {
    id: b.id,
    kind: "community",
    title: b.title,
    excerpt: excerptOf(b.description),
    tags: b.tags,
    includedTasks: b.types,
    namespace: b.namespace,
    flowId: b.flowId,
  };
}

function tagCounts(all: { tags: string[] }[]): BlueprintTag[] {
  const counts = new Map<string, number>();
  for (const b of all) for (const tag of b.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => a.name.localeCompare(b.name));
}

// ---- community -----------------------------------------------------------------------------------------

export function searchCommunityBlueprints(search: BlueprintSearch): BlueprintSummary[] {
  return community()
    .filter((b) => matches(communitySummary(b), b.description, search))
    .map(communitySummary);
}

export function communityBlueprintTags(): BlueprintTag[] {
  return tagCounts(community());
}

export function getCommunityBlueprint(id: string): BlueprintDetail {
  const b = community().find((candidate) => candidate.id === id);
  if (!b) throw new NotFoundError(`Blueprint ${id} not found.`);
  const exampleInputs = Object.fromEntries(
    Object.entries(b.test.inputs ?? {}).filter(
      ([, value]) => !(typeof value === "string" && value.includes(TEST_SERVER)),
    ),
  );
  return {
    ...communitySummary(b),
    description: b.description,
    source: b.source,
    graph: graphOfSource(b.source),
    exampleInputs,
    companions: b.companions,
  };
}

// ---- custom (the tenant's own) -------------------------------------------------------------------------

interface CustomRow {
  id: string;
  title: string;
  description: string;
  tags: string[];
  source: string;
  createdBy: string | null;
  updatedAt: Date;
}

function customSummary(row: CustomRow): BlueprintSummary {
  const { flow } = parseOrThrow(row.source);
  return {
    id: row.id,
    kind: "custom",
    title: row.title,
    excerpt: excerptOf(row.description),
    tags: row.tags,
    includedTasks: typesOf(parseYaml(row.source), registry),
    namespace: flow.namespace,
    flowId: flow.id,
    updated: row.updatedAt.toISOString(),
  };
}

function customDetail(row: CustomRow): BlueprintDetail {
  return {
    ...customSummary(row),
    description: row.description,
    source: row.source,
    graph: graphOfSource(row.source),
    createdBy: row.createdBy,
  };
}

/** The fields of a write, normalized: tags trimmed and unique; the YAML must be a valid flow (422 if not). */
function normalized(input: CustomBlueprintInput) {
  parseOrThrow(input.source);
  return {
    title: input.title.trim(),
    description: input.description ?? "",
    tags: [...new Set((input.tags ?? []).map((t) => t.trim()).filter(Boolean))],
    source: input.source,
  };
}

const auditView = (row: { title: string; tags: string[]; source: string }) => ({
  title: row.title,
  tags: row.tags,
  sourceLength: row.source.length,
});

export async function searchCustomBlueprints(
  scope: ServiceScope,
  search: BlueprintSearch,
): Promise<BlueprintSummary[]> {
  const rows = await scope.db.tenantBlueprint.findMany({ orderBy: { updatedAt: "desc" }, take: 1000 });
  return rows.filter((row) => matches(customSummary(row), row.description, search)).map(customSummary);
}

export async function customBlueprintTags(scope: ServiceScope): Promise<BlueprintTag[]> {
  return tagCounts(await scope.db.tenantBlueprint.findMany({ select: { tags: true } }));
}

async function findCustom(scope: ServiceScope, id: string): Promise<CustomRow> {
  const row = await scope.db.tenantBlueprint.findFirst({ where: { id } });
  if (!row) throw new NotFoundError(`Blueprint ${id} not found.`);
  return row;
}

export async function getCustomBlueprint(scope: ServiceScope, id: string): Promise<BlueprintDetail> {
  return customDetail(await findCustom(scope, id));
}

export async function createCustomBlueprint(
  scope: ServiceScope,
  input: CustomBlueprintInput,
): Promise<BlueprintDetail> {
  const data = normalized(input);
  const row = await scope.db.$transaction(async (tx) => {
    const created = await tx.tenantBlueprint.create({
      data: { tenantId: scope.tenant.id, ...data, createdBy: scope.principal.name ?? null },
    });
    await audit(
      scope,
      { action: "CREATE", resourceType: "BLUEPRINT", resourceId: created.id, after: auditView(created) },
      tx,
    );
    return created;
  });
  return customDetail(row);
}

export async function updateCustomBlueprint(
  scope: ServiceScope,
  id: string,
  input: CustomBlueprintInput,
): Promise<BlueprintDetail> {
  const data = normalized(input);
  const before = await findCustom(scope, id);
  const row = await scope.db.$transaction(async (tx) => {
    const updated = await tx.tenantBlueprint.update({ where: { id }, data });
    await audit(
      scope,
      {
        action: "UPDATE",
        resourceType: "BLUEPRINT",
        resourceId: id,
        before: auditView(before),
        after: auditView(updated),
      },
      tx,
    );
    return updated;
  });
  return customDetail(row);
}

export async function deleteCustomBlueprint(scope: ServiceScope, id: string): Promise<void> {
  const before = await findCustom(scope, id);
  await scope.db.$transaction(async (tx) => {
    await tx.tenantBlueprint.delete({ where: { id } });
    await audit(
      scope,
      { action: "DELETE", resourceType: "BLUEPRINT", resourceId: id, before: auditView(before) },
      tx,
    );
  });
}
