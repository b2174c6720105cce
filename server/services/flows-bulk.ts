// Flows in bulk, as Kestra's FlowController: enable, disable, delete and export by ids or by query, and
// import of YAML documents or a zip of them.
//
// Permissions, per flow on its own namespace: FLOW:UPDATE to enable/disable, FLOW:DELETE to delete,
// FLOW:READ to export, FLOW:CREATE (new) or FLOW:UPDATE (existing) to import.
//   - by ids: the whole request is refused (403) when one named flow is in a namespace the caller may not
//     act on, before anything changes; ids that name no flow are ignored (the count says how many changed).
//   - by query: the query only ever matches flows the caller may act on; the others are skipped silently,
//     as Kestra's search never shows them.
//   - import: each document is checked on its own and reported; documents the caller may not write are
//     reported as errors, the others saved.
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { isMap, parseAllDocuments } from "yaml";
import { loadFlow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import { deleteFlow as deleteStoredFlow, saveFlowRevision } from "@/worker/embedded";
import { filterAllows, namespaceOrChildren, namespaceWhere } from "../access/authorize";
import type { Action } from "../access/permissions";
import { env } from "../env";
import { tooLarge } from "../input-limits";
import { BadRequestError, PayloadTooLargeError } from "./errors";
import { describeFlowErrors } from "./flows";
import { syncFlowSchedules } from "./schedules";
import { audit, check, listFilter, type ServiceScope, sqlIn } from "./scope";

export interface FlowRef {
  namespace: string;
  id: string;
}

export interface FlowQuery {
  q?: string;
  namespace?: string;
  labels?: { key: string; value: string }[];
}

/** Kestra's BulkResponse. */
export interface BulkResult {
  count: number;
}

export interface ImportResult {
  /** The document's position (0-based) and the file it came from. */
  index: number;
  file: string;
  namespace?: string;
  id?: string;
  status: "CREATED" | "UPDATED" | "UNCHANGED" | "INVALID" | "FORBIDDEN";
  revision?: number;
  error?: string;
}

/** How many flows one by-query call may touch (more is refused: narrow the query). */
export const MAX_BULK_FLOWS = 5000;

let registry: ReturnType<typeof builtInRegistry> | undefined;
const plugins = () => {
  registry ??= builtInRegistry();
  return registry;
};

type FlowRow = {
  namespace: string;
  id: string;
  revision: number;
  source: string;
  disabled: boolean;
};

async function rowsByIds(scope: ServiceScope, refs: FlowRef[], action: Action): Promise<FlowRow[]> {
  for (const ref of refs) check(scope, "FLOW", action, ref.namespace);
  if (refs.length === 0) return [];
  return scope.db.flow.findMany({
    where: { deleted: false, OR: refs.map((ref) => ({ namespace: ref.namespace, id: ref.id })) },
    orderBy: [{ namespace: "asc" }, { id: "asc" }],
  });
}

async function rowsByQuery(scope: ServiceScope, query: FlowQuery, action: Action): Promise<FlowRow[]> {
  const readable = listFilter(scope, "FLOW", "READ");
  const allowed = listFilter(scope, "FLOW", action);
  const rows = await scope.db.flow.findMany({
    where: {
      AND: [
        namespaceWhere(readable),
        namespaceWhere(allowed),
        query.namespace ? namespaceOrChildren(query.namespace) : {},
        query.q
          ? {
              OR: [
                { id: { contains: query.q, mode: "insensitive" as const } },
                { namespace: { contains: query.q } },
              ],
            }
          : {},
        { deleted: false },
      ],
    },
    orderBy: [{ namespace: "asc" }, { id: "asc" }],
    take: MAX_BULK_FLOWS + 1,
  });
  if (rows.length > MAX_BULK_FLOWS)
    throw new BadRequestError(`The query matches more than ${MAX_BULK_FLOWS} flows: narrow it.`);
  const wanted = query.labels ?? [];
  return rows
    .filter((row) => filterAllows(readable, row.namespace) && filterAllows(allowed, row.namespace))
    .filter((row) => {
      if (wanted.length === 0) return true;
      const labels = loadFlow(row.source, { registry: plugins() }).flow?.labels ?? [];
      return wanted.every((w) => labels.some((l) => l.key === w.key && l.value === w.value));
    });
}

/** The YAML with `disabled` set (a new top-level key after `namespace` when absent), comments kept. */
export function withDisabled(source: string, disabled: boolean): string {
  const [document] = parseAllDocuments(source);
  if (!document || !isMap(document.contents) || document.errors.length > 0) return source;
  if (document.has("disabled") || disabled) document.set("disabled", disabled);
  return document.toString();
}

async function saveSource(scope: ServiceScope, row: FlowRow, source: string): Promise<boolean> {
  const load = loadFlow(source, { registry: plugins() });
  if (!load.flow) return false;
  const flow = load.flow;
  const engine = await scope.engine();
  const changed = await scope.db.$transaction(async (tx) => {
    const saved = await saveFlowRevision(sqlIn(tx), engine.ctx.registry, scope.tenant.id, flow, source, {
      ...(scope.principal.kind === "user" ? { authorId: scope.principal.id } : {}),
    });
    if (saved.changed)
      await audit(
        scope,
        {
          action: "UPDATE",
          resourceType: "FLOW",
          resourceId: `${row.namespace}.${row.id}`,
          namespace: row.namespace,
          before: { source: row.source },
          after: { revision: saved.revision, source },
        },
        tx,
      );
    return saved.changed;
  });
  if (changed) await syncFlowSchedules(engine, scope.tenant.id, flow);
  return changed;
}

async function setDisabled(scope: ServiceScope, rows: FlowRow[], disabled: boolean): Promise<BulkResult> {
  let count = 0;
  for (const row of rows) {
    if (row.disabled === disabled) continue;
    if (await saveSource(scope, row, withDisabled(row.source, disabled))) count++;
  }
  return { count };
}

async function remove(scope: ServiceScope, rows: FlowRow[]): Promise<BulkResult> {
  const engine = await scope.engine();
  let count = 0;
  for (const row of rows) {
    const deleted = await scope.db.$transaction(async (tx) => {
      const done = await deleteStoredFlow(
        sqlIn(tx),
        engine.ctx.registry,
        scope.tenant.id,
        row.namespace,
        row.id,
      );
      if (done)
        await audit(
          scope,
          {
            action: "DELETE",
            resourceType: "FLOW",
            resourceId: `${row.namespace}.${row.id}`,
            namespace: row.namespace,
            before: { revision: row.revision, source: row.source },
          },
          tx,
        );
      return done;
    });
    if (deleted) {
      count++;
      await syncFlowSchedules(engine, scope.tenant.id, row);
    }
  }
  return { count };
}

/** A zip of `{namespace}.{id}.yml`, one per flow, each its current YAML. */
function zipOf(rows: FlowRow[]): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const row of rows) entries[`${row.namespace}.${row.id}.yml`] = strToU8(row.source);
  return zipSync(entries, { level: 6 });
}

export const enableFlowsByIds = async (scope: ServiceScope, refs: FlowRef[]) =>
  setDisabled(scope, await rowsByIds(scope, refs, "UPDATE"), false);
export const disableFlowsByIds = async (scope: ServiceScope, refs: FlowRef[]) =>
  setDisabled(scope, await rowsByIds(scope, refs, "UPDATE"), true);
export const deleteFlowsByIds = async (scope: ServiceScope, refs: FlowRef[]) =>
  remove(scope, await rowsByIds(scope, refs, "DELETE"));
export const exportFlowsByIds = async (scope: ServiceScope, refs: FlowRef[]) =>
  zipOf(await rowsByIds(scope, refs, "READ"));

export const enableFlowsByQuery = async (scope: ServiceScope, query: FlowQuery) =>
  setDisabled(scope, await rowsByQuery(scope, query, "UPDATE"), false);
export const disableFlowsByQuery = async (scope: ServiceScope, query: FlowQuery) =>
  setDisabled(scope, await rowsByQuery(scope, query, "UPDATE"), true);
export const deleteFlowsByQuery = async (scope: ServiceScope, query: FlowQuery) =>
  remove(scope, await rowsByQuery(scope, query, "DELETE"));
export const exportFlowsByQuery = async (scope: ServiceScope, query: FlowQuery) =>
  zipOf(await rowsByQuery(scope, query, "READ"));

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** The YAML texts of an upload: the file itself, or every .yml/.yaml file of a zip. */
function texts(fileName: string, content: Uint8Array, maxUnpacked: number): { file: string; text: string }[] {
  const isZip = ZIP_MAGIC.every((byte, i) => content[i] === byte);
  if (!isZip) {
    if (!/\.ya?ml$/i.test(fileName))
      throw new BadRequestError(`Import a .yml/.yaml file or a .zip of them (got '${fileName}').`);
    return [{ file: fileName, text: strFromU8(content) }];
  }
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(content, {
      filter: (entry) => {
        if (!/\.ya?ml$/i.test(entry.name) || entry.name.endsWith("/")) return false;
        // The sizes the zip declares: fflate never unpacks an entry past its declared size, so a zip that
        // lies about them gets cut short (and fails to validate) rather than filling the memory.
        total += entry.originalSize;
        if (total > maxUnpacked) throw tooLarge(maxUnpacked, "CADENZA_MAX_IMPORT_BYTES", "The zip unpacked");
        return true;
      },
    });
  } catch (error) {
    if (error instanceof BadRequestError || error instanceof PayloadTooLargeError) throw error;
    throw new BadRequestError(`The zip could not be read: ${(error as Error).message}`);
  }
  return Object.entries(files)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, bytes]) => ({ file, text: strFromU8(bytes) }));
}

/** Splits a YAML text into its `---` documents, each as its own source. */
function documents(text: string): string[] {
  return parseAllDocuments(text)
    .map((document) => {
      const range = document.range;
      return text.slice(range[0], range[2] ?? range[1]).replace(/^---[^\n]*\n/, "");
    })
    .filter((source) => source.trim() !== "" && source.trim() !== "---");
}

/** Saves every valid document (new flows created, existing ones given a new revision); reports each. */
/**
 * Imports every document of an upload. A zip is unpacked (at most `maxUnpacked` bytes of YAML, 413 beyond)
 * before anything is saved, so a refused upload writes nothing.
 */
export async function importFlows(
  scope: ServiceScope,
  upload: { fileName: string; content: Uint8Array },
  maxUnpacked: number = env.CADENZA_MAX_IMPORT_BYTES,
): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  let index = 0;
  for (const { file, text } of texts(upload.fileName, upload.content, maxUnpacked)) {
    for (const source of documents(text)) {
      const at = index++;
      const load = loadFlow(source, { registry: plugins() });
      if (!load.flow) {
        results.push({ index: at, file, status: "INVALID", error: describeFlowErrors(load.errors) });
        continue;
      }
      const flow = load.flow;
      const existing = await scope.db.flow.findUnique({
        where: {
          tenantId_namespace_id: { tenantId: scope.tenant.id, namespace: flow.namespace, id: flow.id },
        },
      });
      const live = existing && !existing.deleted ? existing : undefined;
      const ref = { index: at, file, namespace: flow.namespace, id: flow.id };
      try {
        check(scope, "FLOW", live ? "UPDATE" : "CREATE", flow.namespace);
      } catch (error) {
        results.push({ ...ref, status: "FORBIDDEN", error: (error as Error).message });
        continue;
      }
      const engine = await scope.engine();
      const saved = await scope.db.$transaction(async (tx) => {
        const result = await saveFlowRevision(sqlIn(tx), engine.ctx.registry, scope.tenant.id, flow, source, {
          ...(scope.principal.kind === "user" ? { authorId: scope.principal.id } : {}),
        });
        if (result.changed)
          await audit(
            scope,
            {
              action: live ? "UPDATE" : "CREATE",
              resourceType: "FLOW",
              resourceId: `${flow.namespace}.${flow.id}`,
              namespace: flow.namespace,
              before: live ? { source: live.source } : undefined,
              after: { revision: result.revision, source, imported: true },
            },
            tx,
          );
        return result;
      });
      if (saved.changed) await syncFlowSchedules(engine, scope.tenant.id, flow);
      results.push({
        ...ref,
        status: !saved.changed ? "UNCHANGED" : live ? "UPDATED" : "CREATED",
        revision: saved.revision,
      });
    }
  }
  if (results.length === 0) throw new BadRequestError("The upload holds no flow.");
  return results;
}
