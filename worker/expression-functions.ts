import type { ExprFunction } from "@/engine/expr";
import { executionStoragePrefix, type FileStorage, type KvStore } from "@/engine/plugin";
import { isPublicHoliday } from "@/plugins/core/condition/holidays";
import { namespaceFileUri } from "@/plugins/core/namespace/files";
import type { LogEntry } from "./logs";
import { checkReach, defaultNamespaceAccess, type NamespaceAccess } from "./namespace-access";
import { type RunSubflow, subflowFunction } from "./subflow-function";

export interface FunctionDeps {
  /** Which namespaces a flow's `kv(key, namespace)` may read (default: itself and its ancestors). */
  access?: NamespaceAccess;
  kv?: KvStore;
  storage?: FileStorage;
  /** The logs of an execution, for errorLogs(). */
  logsOf?(executionId: string): readonly LogEntry[];
  /** Secret lookup by namespace and name; undefined when there is no such secret. */
  secret?(namespace: string, name: string): Promise<string | undefined>;
  /** Runs a flow to its end, for subflow(); absent where a driver cannot wait for one. */
  runSubflow?: RunSubflow;
}

function contextString(context: Record<string, unknown>, path: [string, string]): string | undefined {
  const holder = context[path[0]] as Record<string, unknown> | undefined;
  const value = holder?.[path[1]];
  return typeof value === "string" ? value : undefined;
}

const truthy = (value: unknown) =>
  typeof value === "string" ? value.trim().toLowerCase() !== "false" : Boolean(value);

/** `kestra:///{namespace as path}/{flowId}/executions/{executionId}/`: where an execution's files live. */
function executionBase(namespace: unknown, flowId: unknown, executionId: unknown): string | undefined {
  if (typeof namespace !== "string" || typeof flowId !== "string" || typeof executionId !== "string")
    return undefined;
  return executionStoragePrefix(namespace, flowId, executionId);
}

/**
 * The storage URI a file function may read, as Kestra allows it: a `kestra://` URI of the current execution
 * (or of the execution that triggered it: a parent flow, a Flow trigger), or else a path of the flow's
 * namespace files. A URI of any other execution is refused, so a flow cannot read another's files.
 */
export function storageUriOf(path: string, context: Record<string, unknown>): string {
  const flow = (context.flow ?? {}) as Record<string, unknown>;
  if (!path.startsWith("kestra://")) {
    if (typeof flow.namespace !== "string") throw new Error(`'${path}' is not a kestra:// URI`);
    return namespaceFileUri(flow.namespace, path);
  }
  if (path.includes("/../") || path.endsWith("/..")) throw new Error(`invalid internal storage URI: ${path}`);
  const execution = (context.execution ?? {}) as Record<string, unknown>;
  const trigger = (context.trigger ?? {}) as Record<string, unknown>;
  const allowed = [
    executionBase(flow.namespace, flow.id, execution.id),
    executionBase(trigger.namespace, trigger.flowId, trigger.executionId),
  ];
  if (!allowed.some((base) => base !== undefined && path.startsWith(base))) {
    throw new Error(`Unable to read the file '${path}' as it didn't belong to the current execution`);
  }
  return path;
}

/**
 * Kestra 2.0's `read(path, namespace, version)` (ReadFileFunction) reads an older version of a namespace
 * file. Cadenza's namespace files are plain storage objects that an upload overwrites, so no version number
 * is kept, not even the current one's: any version is refused rather than answered with the latest content,
 * which a flow asking for an older one would silently misread.
 */
function refuseVersion(version: unknown): void {
  if (version === undefined || version === null) return;
  throw new Error(
    `read() cannot read version ${String(version)} of a namespace file: Cadenza keeps no versions of namespace files (an upload replaces the file); call read() without 'version' to read the current content`,
  );
}

/**
 * Every function expressionFunctions() may add: the one list the editor's completion reads
 * (server/services/editor-catalog.ts), so a function added here is known to the editor too.
 */
export const RUNTIME_FUNCTION_NAMES = [
  "isPublicHoliday",
  "kv",
  "secret",
  "read",
  "fileSize",
  "fileExists",
  "isFileEmpty",
  "subflow",
  "errorLogs",
] as const;

export type RuntimeFunctionName = (typeof RUNTIME_FUNCTION_NAMES)[number];

/**
 * The I/O-backed expression functions (`kv`, `secret`, `read`, `errorLogs`, `fileSize`, `fileExists`,
 * `isFileEmpty`, `subflow`), bound to a driver's stores, and `isPublicHoliday` (holiday calendars: see holidays.ts).
 * The expression engine itself does no I/O.
 */
export function expressionFunctions(deps: FunctionDeps): Record<string, ExprFunction> {
  const functions: Partial<Record<RuntimeFunctionName, ExprFunction>> = { isPublicHoliday };
  const { kv, storage, logsOf, secret } = deps;
  const access = deps.access ?? defaultNamespaceAccess;
  if (kv) {
    functions.kv = async (args, named, { context }) => {
      const key = String(args[0] ?? named.key ?? "");
      const own = contextString(context, ["flow", "namespace"]);
      const explicit = args[1] ?? named.namespace;
      const namespace = String(explicit ?? own ?? "");
      // Another namespace's KV: only where the namespace boundaries let this flow's namespace reach it.
      if (explicit !== undefined && namespace !== own) {
        if (own === undefined) throw new Error(`kv() of namespace '${namespace}' outside a flow`);
        await checkReach(access, own, namespace);
      }
      const errorOnMissing = truthy(args[2] ?? named.errorOnMissing ?? true);
      const entry = await kv.get(namespace, key);
      if (!entry) {
        if (errorOnMissing)
          throw new Error(`the key '${key}' does not exist in the namespace '${namespace}'`);
        return null;
      }
      return entry.value;
    };
  }
  if (secret) {
    functions.secret = async (args, named, { context }) => {
      const name = String(args[0] ?? named.key ?? "");
      const namespace = contextString(context, ["flow", "namespace"]) ?? "";
      const value = await secret(namespace, name);
      if (value === undefined)
        throw new Error(`secret '${name}' is not set for namespace '${namespace}' or its parents`);
      return value;
    };
  }
  if (storage) {
    const file = (args: unknown[], named: Record<string, unknown>, context: Record<string, unknown>) =>
      storageUriOf(String(args[0] ?? named.path ?? named.uri ?? ""), context);
    functions.read = async (args, named, { context }) => {
      refuseVersion(args[2] ?? named.version);
      return new TextDecoder().decode(await storage.get(file(args, named, context)));
    };
    functions.fileSize = async (args, named, { context }) => storage.size(file(args, named, context));
    functions.fileExists = async (args, named, { context }) => storage.exists(file(args, named, context));
    functions.isFileEmpty = async (args, named, { context }) =>
      (await storage.size(file(args, named, context))) === 0;
  }
  if (deps.runSubflow) functions.subflow = subflowFunction(deps.runSubflow, access);
  if (logsOf) {
    functions.errorLogs = (_args, _named, { context }) => {
      const executionId = contextString(context, ["execution", "id"]);
      if (!executionId) return [];
      return logsOf(executionId)
        .filter((log) => log.level === "ERROR")
        .map((log) => ({ ...log }));
    };
  }
  return functions as Record<string, ExprFunction>;
}
