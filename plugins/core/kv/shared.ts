import { z } from "zod";
import { isExpression, type KvStore, type TaskRunContext } from "@/engine/plugin";

/** Kestra's rule for KV keys (KVStore.validateKey). */
const KEY = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

export const kvKey = z
  .string()
  .describe("The key (letters, digits, `.`, `_` and `-`; it starts with a letter or a digit).");

export const kvNamespace = z
  .string()
  .default("{{ flow.namespace }}")
  .describe("The namespace of the KV pair; by default the flow's namespace.");

/** The KV store of this worker, or a clear failure when the driver provides none. */
export function requireKv(ctx: TaskRunContext<unknown>, type: string): KvStore {
  const kv = ctx.services.kv;
  if (!kv) throw new Error(`${type} needs the KV store, which this engine does not provide`);
  return kv;
}

/** Checks a key the way Kestra does, with the same message. */
export function checkKey(key: string): string {
  if (!key) throw new Error("the KV key cannot be empty");
  if (!KEY.test(key)) {
    throw new Error(
      `invalid KV key '${key}': a key must start with a letter or a digit and contain only letters, digits, dots (.), underscores (_) and hyphens (-)`,
    );
  }
  return key;
}

/**
 * The namespace a KV task works on. Properties are rendered before `run`, so the default
 * `{{ flow.namespace }}` is normally already resolved; a value still holding an expression (a default
 * added after rendering) is rendered here.
 */
export async function targetNamespace(
  ctx: TaskRunContext<unknown>,
  value: string | undefined,
): Promise<string> {
  if (value === undefined || value.trim() === "") return ctx.execution.namespace;
  const namespace = isExpression(value) ? String(await ctx.render(value)) : value;
  if (!namespace.trim()) throw new Error("the namespace rendered to an empty string");
  return namespace;
}
