// What the execution page reads from the flow revision an execution ran: the declared inputs and a task's
// definition by id (e.g. a Pause task's `onResume` inputs), from the revision's YAML.
import { parse } from "yaml";
import type { DeclaredInput } from "../execute";

export function parseFlow(source: string | undefined): Record<string, unknown> | undefined {
  if (!source) return undefined;
  try {
    const value = parse(source) as unknown;
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The task with this id anywhere in the flow (tasks, branches, errors, finally...). */
export function findTask(node: unknown, taskId: string): Record<string, unknown> | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findTask(item, taskId);
      if (found) return found;
    }
    return undefined;
  }
  if (!node || typeof node !== "object") return undefined;
  const record = node as Record<string, unknown>;
  if (record.id === taskId && typeof record.type === "string") return record;
  for (const [key, value] of Object.entries(record)) {
    if (key === "inputs" || key === "onResume") continue;
    const found = findTask(value, taskId);
    if (found) return found;
  }
  return undefined;
}

export function declaredInputs(list: unknown): DeclaredInput[] {
  return Array.isArray(list)
    ? list.filter((i): i is DeclaredInput => !!i && typeof i === "object" && typeof i.id === "string")
    : [];
}
