import type { ExprFunction } from "@/engine/expr";
import type { FileStorage, KvStore } from "@/engine/plugin";
import type { LogEntry } from "./logs";

export interface FunctionDeps {
  kv?: KvStore;
  storage?: FileStorage;
  /** The logs of an execution, for errorLogs(). */
  logsOf?(executionId: string): readonly LogEntry[];
  /** Secret lookup by namespace and name; undefined when there is no such secret. */
  secret?(namespace: string, name: string): Promise<string | undefined>;
}

function contextString(context: Record<string, unknown>, path: [string, string]): string | undefined {
  const holder = context[path[0]] as Record<string, unknown> | undefined;
  const value = holder?.[path[1]];
  return typeof value === "string" ? value : undefined;
}

/**
 * The I/O-backed expression functions (`kv`, `secret`, `read`, `errorLogs`, `fileSize`, `fileExists`,
 * `isFileEmpty`), bound to a driver's stores. The expression engine itself does no I/O.
 */
export function expressionFunctions(deps: FunctionDeps): Record<string, ExprFunction> {
  const functions: Record<string, ExprFunction> = {};
  const { kv, storage, logsOf, secret } = deps;
  if (kv) {
    functions.kv = async (args, named, { context }) => {
      const key = String(args[0] ?? named.key ?? "");
      const namespace = String(
        args[1] ?? named.namespace ?? contextString(context, ["flow", "namespace"]) ?? "",
      );
      const errorOnMissing = Boolean(args[2] ?? named.errorOnMissing ?? true);
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
    functions.read = async (args) => new TextDecoder().decode(await storage.get(String(args[0])));
    functions.fileSize = async (args) => storage.size(String(args[0]));
    functions.fileExists = async (args) => storage.exists(String(args[0]));
    functions.isFileEmpty = async (args) => (await storage.size(String(args[0]))) === 0;
  }
  if (logsOf) {
    functions.errorLogs = (_args, _named, { context }) => {
      const executionId = contextString(context, ["execution", "id"]);
      if (!executionId) return [];
      return logsOf(executionId)
        .filter((log) => log.level === "ERROR")
        .map((log) => ({ ...log }));
    };
  }
  return functions;
}
