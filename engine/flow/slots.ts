import type { z } from "zod";
import { slotKind, unwrap } from "../plugin/schema";
import type { PathSegment } from "./errors";

/** A place in a plugin's properties that holds nested tasks or conditions. */
export interface Slot {
  /** Path relative to the plugin's properties, e.g. `["cases", "A"]` or `["tasks", 2, "task"]`. */
  path: PathSegment[];
  kind: "task" | "condition";
  /** A single task (Dag's `task:`) rather than a list. */
  single: boolean;
}

/** Walks a schema alongside a value and returns where nested tasks/conditions are. */
export function findSlots(schema: z.ZodType, value: unknown, path: PathSegment[] = []): Slot[] {
  const out: Slot[] = [];
  walk(schema, value, path, out);
  return out;
}

function walk(schema: z.ZodType, value: unknown, path: PathSegment[], out: Slot[]): void {
  if (value === undefined || value === null) return;
  const s = unwrap(schema);
  const kind = slotKind(s);
  if (kind) {
    out.push({ path, kind, single: true });
    return;
  }
  const def = s.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case "array": {
      const element = unwrap(def.element as z.ZodType);
      const elementKind = slotKind(element);
      if (elementKind) {
        if (Array.isArray(value)) out.push({ path, kind: elementKind, single: false });
        return;
      }
      if (Array.isArray(value)) {
        value.forEach((item, i) => {
          walk(element, item, [...path, i], out);
        });
      }
      return;
    }
    case "object": {
      if (typeof value !== "object") return;
      const shape = def.shape as Record<string, z.ZodType>;
      for (const [key, child] of Object.entries(shape)) {
        if (Object.hasOwn(value as object, key))
          walk(child, (value as Record<string, unknown>)[key], [...path, key], out);
      }
      return;
    }
    case "record": {
      if (typeof value !== "object" || Array.isArray(value)) return;
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        walk(def.valueType as z.ZodType, child, [...path, key], out);
      }
      return;
    }
    case "union": {
      for (const option of def.options as z.ZodType[]) {
        const found: Slot[] = [];
        walk(option, value, path, found);
        if (found.length > 0) {
          out.push(...found);
          return;
        }
      }
      return;
    }
    case "pipe":
      walk(def.in as z.ZodType, value, path, out);
      return;
    case "lazy":
      walk((def.getter as () => z.ZodType)(), value, path, out);
      return;
    default:
      return;
  }
}

export function getAt(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

export function setAt(value: unknown, path: readonly PathSegment[], replacement: unknown): void {
  let current = value as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) current = current[segment] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (last !== undefined) current[last] = replacement;
}

/** The property names an object schema allows at a path, for suggestions. */
export function keysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] | undefined {
  const s = unwrap(schema);
  const def = s.def as unknown as Record<string, unknown> & { type: string };
  if (path.length > 0) {
    const [segment, ...rest] = path;
    if (def.type === "object") {
      const child = (def.shape as Record<string, z.ZodType>)[String(segment)];
      return child ? keysAt(child, rest) : undefined;
    }
    if (def.type === "array" && typeof segment === "number") return keysAt(def.element as z.ZodType, rest);
    if (def.type === "record") return keysAt(def.valueType as z.ZodType, rest);
    if (def.type === "union") {
      for (const option of def.options as z.ZodType[]) {
        const found = keysAt(option, path);
        if (found) return found;
      }
    }
    if (def.type === "pipe") return keysAt(def.in as z.ZodType, path);
    return undefined;
  }
  if (def.type === "object") return Object.keys(def.shape as object);
  if (def.type === "union" || def.type === "discriminated_union") {
    const keys = new Set<string>();
    for (const option of def.options as z.ZodType[]) {
      const d = unwrap(option).def as unknown as { type: string; shape?: object };
      if (d.type === "object" && d.shape) for (const k of Object.keys(d.shape)) keys.add(k);
    }
    return [...keys];
  }
  return undefined;
}
