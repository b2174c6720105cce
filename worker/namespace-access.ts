/**
 * Namespace boundaries (Kestra EE's "allowed namespaces"): whether a flow of namespace `from` may
 * reach namespace `target` (its KV store, logs, executions, namespace files, run its flows as
 * subflows, be triggered by its executions).
 *
 * The rule: a namespace is reached by itself and its descendants (`finance` by `finance` and
 * `finance.payroll`), plus the namespaces on its allow-list (each with its descendants; `*` is
 * everyone). A tenant whose isolation is `open` has no boundaries (the engine checks nothing).
 *
 * The check happens here, once, for every plugin: `guardServices` wraps the task services a task
 * gets, `expressionFunctions` asks the same `NamespaceAccess` for `kv()`, and the engines ask it
 * before starting a subflow or firing a flow trigger.
 */
import type {
  ExecutionService,
  FileStorage,
  FlowService,
  KvStore,
  LogReader,
  PurgeFilter,
  PurgeService,
  TaskServices,
  TriggerService,
} from "@/engine/plugin";

export type NamespaceIsolation = "strict" | "open";

export const NAMESPACE_ISOLATIONS: readonly NamespaceIsolation[] = ["strict", "open"];

/** The failure a denied call ends with: it names the setting to change. */
export class NamespaceDeniedError extends Error {
  constructor(
    readonly from: string,
    readonly target: string,
  ) {
    super(`namespace '${from}' may not reach '${target}': add it to ${target}'s allowed namespaces`);
    this.name = "NamespaceDeniedError";
  }
}

export interface NamespaceAccess {
  /** Whether flows of `from` may reach `target`. */
  allows(from: string, target: string): Promise<boolean>;
}

/** `namespace` is `ancestor` or one of its descendants. */
export const isWithin = (namespace: string, ancestor: string): boolean =>
  namespace === ancestor || namespace.startsWith(`${ancestor}.`);

/** The rule, given the target's allow-list. */
export function reaches(from: string, target: string, allowed: readonly string[] = []): boolean {
  return isWithin(from, target) || allowed.some((entry) => entry === "*" || isWithin(from, entry));
}

/** Self and descendants only: the memory engine's (and a tenant without settings') policy. */
export const defaultNamespaceAccess: NamespaceAccess = {
  allows: async (from, target) => reaches(from, target),
};

/** No boundaries (isolation `open`). */
export const openNamespaceAccess: NamespaceAccess = { allows: async () => true };

/** Rejects with NamespaceDeniedError when `from` may not reach `target`. */
export async function checkReach(access: NamespaceAccess, from: string, target: string): Promise<void> {
  if (!(await access.allows(from, target))) throw new NamespaceDeniedError(from, target);
}

function guardKv(kv: KvStore, check: (target: string) => Promise<void>): KvStore {
  return {
    get: (namespace, key) => check(namespace).then(() => kv.get(namespace, key)),
    set: (namespace, key, value, options) =>
      check(namespace).then(() => kv.set(namespace, key, value, options)),
    delete: (namespace, key) => check(namespace).then(() => kv.delete(namespace, key)),
    list: (namespace, prefix) => check(namespace).then(() => kv.list(namespace, prefix)),
  };
}

/** The namespace whose files a `kestra:///a/b/_files/...` URI addresses; undefined for other URIs. */
export function namespaceOfFileUri(uri: string): string | undefined {
  const m = /^kestra:\/\/\/((?:[A-Za-z0-9_-]+\/)*?[A-Za-z0-9_-]+)\/_files(?:\/|$)/.exec(uri);
  return m ? m[1]!.split("/").join(".") : undefined;
}

function guardStorage(storage: FileStorage, check: (target: string) => Promise<void>): FileStorage {
  const guard = async (uri: string) => {
    const namespace = namespaceOfFileUri(uri);
    if (namespace !== undefined) await check(namespace);
  };
  return {
    put: (uri, data) => guard(uri).then(() => storage.put(uri, data)),
    get: (uri) => guard(uri).then(() => storage.get(uri)),
    exists: (uri) => guard(uri).then(() => storage.exists(uri)),
    size: (uri) => guard(uri).then(() => storage.size(uri)),
    delete: (uri) => guard(uri).then(() => storage.delete(uri)),
    list: (prefix) => guard(prefix).then(() => storage.list(prefix)),
    ...(storage.modified
      ? {
          modified: (uri: string) => guard(uri).then(() => (storage as Required<FileStorage>).modified(uri)),
        }
      : {}),
    ...(storage.read
      ? {
          read: async function* (uri: string) {
            await guard(uri);
            yield* (storage as Required<FileStorage>).read(uri);
          },
        }
      : {}),
    ...(storage.write
      ? {
          write: (uri: string, chunks: AsyncIterable<Uint8Array>) =>
            guard(uri).then(() => (storage as Required<FileStorage>).write(uri, chunks)),
        }
      : {}),
  };
}

function guardLogs(logs: LogReader, check: (target: string) => Promise<void>): LogReader {
  return {
    async fetch(filter) {
      const records = await logs.fetch(filter);
      for (const namespace of new Set(records.map((r) => r.namespace))) await check(namespace);
      return records;
    },
  };
}

function guardExecutions(
  executions: ExecutionService,
  check: (target: string) => Promise<void>,
): ExecutionService {
  return {
    async get(executionId) {
      const found = await executions.get(executionId);
      if (found) await check(found.namespace);
      return found;
    },
    async detail(executionId) {
      const found = await executions.detail(executionId);
      if (found) await check(found.namespace);
      return found;
    },
    async countByFlow(filter) {
      for (const flow of filter.flows ?? []) await check(flow.namespace);
      for (const namespace of filter.namespaces ?? []) await check(namespace);
      const rows = await executions.countByFlow(filter);
      for (const namespace of new Set(rows.map((r) => r.namespace))) await check(namespace);
      return rows;
    },
    async resume(executionId, inputs) {
      const found = await executions.get(executionId);
      if (found) await check(found.namespace);
      return executions.resume(executionId, inputs);
    },
  };
}

function guardPurge(
  purge: PurgeService,
  from: string,
  check: (target: string) => Promise<void>,
): PurgeService {
  // A purge without a namespace would reach every namespace of the tenant: scope it to the caller's.
  const scoped = <F extends PurgeFilter>(filter: F): Promise<F> =>
    filter.namespace === undefined
      ? Promise.resolve({ ...filter, namespace: from })
      : check(filter.namespace).then(() => filter);
  const checkIds = async (ids: string[], summaries: Map<string, string>) => {
    for (const id of ids) {
      const namespace = summaries.get(id);
      if (namespace === undefined) throw new Error(`execution ${id} was not listed by this purge`);
      await check(namespace);
    }
  };
  // Only executions this guard listed (and checked) may be deleted.
  const listed = new Map<string, string>();
  return {
    async deleteLogs(filter) {
      const scope = await scoped(filter);
      // A namespace's tree may hold namespaces the caller may not reach: each must be reachable.
      if (scope.flowId === undefined) {
        if (!purge.logNamespaces)
          throw new Error("this engine cannot tell which namespaces a purge would reach");
        for (const namespace of await purge.logNamespaces(scope)) await check(namespace);
      }
      return purge.deleteLogs(scope);
    },
    async endedExecutions(filter, limit) {
      const found = await purge.endedExecutions(await scoped(filter), limit);
      for (const execution of found) {
        await check(execution.namespace);
        listed.set(execution.id, execution.namespace);
      }
      return found;
    },
    deleteExecutionLogs: (ids) => checkIds(ids, listed).then(() => purge.deleteExecutionLogs(ids)),
    countExecutionMetrics: (ids) => checkIds(ids, listed).then(() => purge.countExecutionMetrics(ids)),
    deleteExecutions: (ids) => checkIds(ids, listed).then(() => purge.deleteExecutions(ids)),
  };
}

function guardTriggers(triggers: TriggerService, check: (target: string) => Promise<void>): TriggerService {
  return {
    setEnabled: (namespace, flowId, triggerId, enabled) =>
      check(namespace).then(() => triggers.setEnabled(namespace, flowId, triggerId, enabled)),
  };
}

function guardFlows(flows: FlowService, check: (target: string) => Promise<void>): FlowService {
  return {
    async list(namespace, options) {
      await check(namespace);
      const found = await flows.list(namespace, options);
      for (const target of new Set(found.map((flow) => flow.namespace))) await check(target);
      return found;
    },
    save: (flow, origin) => check(flow.namespace).then(() => flows.save(flow, origin)),
    delete: (namespace, id, origin) => check(namespace).then(() => flows.delete(namespace, id, origin)),
  };
}

/** The task services of a task of namespace `from`, each refusing namespaces `from` may not reach. */
export function guardServices(services: TaskServices, access: NamespaceAccess, from: string): TaskServices {
  const check = (target: string) => checkReach(access, from, target);
  return {
    ...services,
    ...(services.kv ? { kv: guardKv(services.kv, check) } : {}),
    ...(services.storage ? { storage: guardStorage(services.storage, check) } : {}),
    ...(services.logs ? { logs: guardLogs(services.logs, check) } : {}),
    ...(services.executions ? { executions: guardExecutions(services.executions, check) } : {}),
    ...(services.purge ? { purge: guardPurge(services.purge, from, check) } : {}),
    ...(services.triggers ? { triggers: guardTriggers(services.triggers, check) } : {}),
    ...(services.flows ? { flows: guardFlows(services.flows, check) } : {}),
    reach: { check },
  };
}

/**
 * The flows (Flow-trigger candidates) whose namespace may reach `target`, the namespace of the
 * execution that ended: a flow trigger of a namespace that may not reach it just does not fire,
 * as in Kestra EE (it would receive the execution's outputs).
 */
export async function flowsReaching<F extends { namespace: string }>(
  access: NamespaceAccess,
  flows: Iterable<F>,
  target: string,
): Promise<F[]> {
  const kept: F[] = [];
  for (const flow of flows) if (await access.allows(flow.namespace, target)) kept.push(flow);
  return kept;
}

/** Why a Subflow/ForEachItem of `parent`'s namespace may not start a flow of `child`, or undefined. */
export async function subflowDenied(
  access: NamespaceAccess,
  parentNamespace: unknown,
  childNamespace: string,
): Promise<string | undefined> {
  if (typeof parentNamespace !== "string") return undefined;
  return (await access.allows(parentNamespace, childNamespace))
    ? undefined
    : new NamespaceDeniedError(parentNamespace, childNamespace).message;
}
