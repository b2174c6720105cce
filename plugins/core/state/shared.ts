import { createHash } from "node:crypto";
import { z } from "zod";
import { dyn, type FileStorage, type TaskRunContext } from "@/engine/plugin";
import { requireStorage } from "../storage/files";

/** Kestra's pre-0.17 names of the state tasks: `io.kestra.core.tasks.states.<Name>`. */
export const oldState = (name: string): string => `io.kestra.core.tasks.states.${name}`;

/** Properties of every state task (AbstractState). */
export const stateShape = {
  name: z.string().default("default").describe("The name of the state."),
  namespace: dyn(z.boolean())
    .default(false)
    .describe("Share the state with every flow of the namespace instead of keeping it to this flow."),
  taskrunValue: dyn(z.boolean())
    .default(true)
    .describe(
      "Keep a state per `taskrun.value` (per iteration of a ForEach); false shares it across iterations.",
    ),
};

export interface StateProperties {
  name: string;
  namespace: boolean;
  taskrunValue: boolean;
}

/**
 * Where a state lives in the internal storage: under the flow (or the namespace, with `namespace: true`),
 * one file per `taskrun.value` unless `taskrunValue` is false (values are hashed: they may be any text).
 */
export function stateUri(ctx: TaskRunContext<StateProperties>): string {
  const { namespace, flowId } = ctx.execution;
  const { properties } = ctx;
  const base = `kestra:///${namespace.split(".").join("/")}${properties.namespace ? "" : `/${flowId}`}/states`;
  const value = properties.taskrunValue ? ctx.taskRun.value : null;
  const slot =
    value === null || value === undefined
      ? "default"
      : createHash("sha256").update(String(value)).digest("hex").slice(0, 32);
  return `${base}/${encodeURIComponent(properties.name)}/${slot}.json`;
}

/** The state's values, or undefined when it does not exist. */
export async function readState(
  storage: FileStorage,
  uri: string,
  name: string,
): Promise<Record<string, unknown> | undefined> {
  if (!(await storage.exists(uri))) return undefined;
  const text = new TextDecoder().decode(await storage.get(uri));
  try {
    const data = JSON.parse(text) as unknown;
    if (data && typeof data === "object" && !Array.isArray(data)) return data as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new Error(`the state '${name}' (${uri}) is not a JSON object: delete it with core.state.Delete`);
}

export function stateStorage(ctx: TaskRunContext<StateProperties>, type: string) {
  const storage = requireStorage(ctx, type);
  const uri = stateUri(ctx);
  return { storage, uri, read: () => readState(storage, uri, ctx.properties.name) };
}
