// What the editor reads from the YAML being typed, without the server: the tasks (id, type, line, and a
// fingerprint of their own definition for the change overlay), triggers, inputs, variables and labels, and
// which task encloses a position (for the docs panel). Uses `yaml`'s document model for exact positions;
// a half-typed document still yields whatever parsed.
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from "yaml";

export interface TaskInfo {
  id: string;
  type: string;
  /** 1-based line of the task's `id:`. */
  line: number;
  start: number;
  end: number;
  trigger: boolean;
  /** JSON of the task's own properties (child task lists left out): equal fingerprints, same definition. */
  fingerprint: string;
}

export interface FlowDoc {
  id?: string;
  namespace?: string;
  tasks: TaskInfo[];
  inputs: string[];
  vars: string[];
  labels: string[];
}

function scalar(map: YAMLMap, key: string): string | undefined {
  const value = map.get(key, true);
  return isScalar(value) && (typeof value.value === "string" || typeof value.value === "number")
    ? String(value.value)
    : undefined;
}

function isTaskList(value: unknown): boolean {
  return Array.isArray(value) && value.some((item) => item && typeof item === "object" && "type" in item);
}

function ownDefinition(map: YAMLMap): string {
  const json = map.toJSON() as Record<string, unknown>;
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    if (isTaskList(value)) continue;
    if (key === "cases" && value && typeof value === "object" && Object.values(value).every(isTaskList))
      continue;
    own[key] = value;
  }
  return JSON.stringify(own);
}

export function readFlowDoc(text: string): FlowDoc {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const out: FlowDoc = { tasks: [], inputs: [], vars: [], labels: [] };
  const root = doc.contents;
  if (!isMap(root)) return out;
  const id = scalar(root, "id");
  const namespace = scalar(root, "namespace");
  if (id) out.id = id;
  if (namespace) out.namespace = namespace;
  const inputs = root.get("inputs", true);
  if (isSeq(inputs))
    for (const item of inputs.items)
      if (isMap(item)) {
        const inputId = scalar(item, "id");
        if (inputId) out.inputs.push(inputId);
      }
  const vars = root.get("variables", true);
  if (isMap(vars))
    for (const pair of vars.items) if (isScalar(pair.key)) out.vars.push(String(pair.key.value));
  const labels = root.get("labels", true);
  if (isMap(labels))
    for (const pair of labels.items) if (isScalar(pair.key)) out.labels.push(String(pair.key.value));
  if (isSeq(labels))
    for (const item of labels.items)
      if (isMap(item)) {
        const key = scalar(item, "key");
        if (key) out.labels.push(key);
      }

  const visit = (node: Node | null | undefined, trigger: boolean) => {
    if (isSeq(node)) for (const item of node.items) visit(item as Node, trigger);
    else if (isMap(node)) {
      const taskId = scalar(node, "id");
      const type = scalar(node, "type");
      if (taskId && type && node.range) {
        const idNode = node.get("id", true) as Node | undefined;
        out.tasks.push({
          id: taskId,
          type,
          line: lines.linePos(idNode?.range?.[0] ?? node.range[0]).line,
          start: node.range[0],
          end: node.range[2],
          trigger,
          fingerprint: ownDefinition(node),
        });
      }
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : "";
        visit(pair.value as Node, trigger || key === "triggers");
      }
    }
  };
  for (const key of ["tasks", "errors", "finally", "afterExecution", "triggers"]) {
    visit(root.get(key, true) as Node | undefined, key === "triggers");
  }
  return out;
}

/** The innermost task or trigger whose text holds `offset`. */
export function taskAt(doc: FlowDoc, offset: number): TaskInfo | undefined {
  let found: TaskInfo | undefined;
  for (const task of doc.tasks)
    if (offset >= task.start && offset <= task.end && (!found || task.start >= found.start)) found = task;
  return found;
}

export type Change = "added" | "changed" | "removed";

/** Tasks added, changed or removed since `saved`, by id. */
export function changesSince(saved: FlowDoc, current: FlowDoc): Map<string, Change> {
  const before = new Map(saved.tasks.map((t) => [t.id, t]));
  const after = new Map(current.tasks.map((t) => [t.id, t]));
  const changes = new Map<string, Change>();
  for (const [id, task] of after) {
    const old = before.get(id);
    if (!old) changes.set(id, "added");
    else if (old.fingerprint !== task.fingerprint) changes.set(id, "changed");
  }
  for (const id of before.keys()) if (!after.has(id)) changes.set(id, "removed");
  return changes;
}
