import type { Flow, Task } from "../flow/model";
import { childTaskLists } from "../flow/walk";
import type { PluginRegistry } from "../plugin/registry";
import type { FlowGraph, GraphCluster, GraphNode, Relation } from "./model";

// Uids: `root.<id>` nested by cluster; `$start`, `$end` and `$triggers` cannot clash with task ids, which
// allow only letters, digits, `_` and `-`.

/** Flowables whose children run side by side. ForEach joins them when its concurrencyLimit is not 1. */
const PARALLEL = new Set(["core.flow.Parallel", "core.flow.EachParallel"]);
/** Slots drawn apart from the block's own children. */
const BRANCH_SLOTS = new Set(["errors", "finally"]);

/**
 * The topology of a flow as nodes, edges and clusters (Kestra's FlowGraph): a start and an end, the
 * triggers leading to the start, each runnable task a node, each flowable with children a cluster with its
 * own start and end. Sequential blocks chain their tasks, Parallel fans out, If and Switch branch (CHOICE,
 * labelled), a Dag follows `dependsOn`, `errors` leave a block's start (ERROR) and `finally` follows its
 * body (FINALLY). Pure: the same flow always gives the same graph.
 */
export function flowGraph(flow: Flow, registry: PluginRegistry): FlowGraph {
  const graph: FlowGraph = { nodes: [], edges: [], clusters: [] };
  const builder = new Builder(graph, registry);
  const start = builder.node({ uid: "root.$start", kind: "start" });
  const end = builder.node({ uid: "root.$end", kind: "end" });
  for (const trigger of flow.triggers) {
    const uid = builder.node({
      uid: `root.$triggers.${trigger.id}`,
      kind: "trigger",
      taskId: trigger.id,
      type: trigger.type,
    });
    builder.connect([uid], [start], "TRIGGER");
  }
  const main = builder.sequence(flow.tasks, [start], "SEQUENTIAL", "root", undefined, "tasks");
  const tails = builder.branches([start], main, flow.errors, flow.finally, "root", undefined);
  const after = builder.sequence(
    flow.afterExecution,
    tails,
    "AFTER_EXECUTION",
    "root",
    undefined,
    "afterExecution",
  );
  builder.connect(after, [end], "SEQUENTIAL");
  return graph;
}

class Builder {
  constructor(
    private readonly graph: FlowGraph,
    private readonly registry: PluginRegistry,
  ) {}

  node(node: GraphNode): string {
    this.graph.nodes.push(node);
    return node.uid;
  }

  /** Edges from every `from` to every `to`; the first one carries `label`. */
  connect(from: readonly string[], to: readonly string[], relation: Relation, label?: string): void {
    for (const source of from) {
      for (const target of to) {
        this.graph.edges.push({ source, target, relation, ...(label !== undefined ? { label } : {}) });
      }
    }
  }

  /** Chains tasks one after another from `from`; returns the nodes the chain leaves from. */
  sequence(
    tasks: readonly Task[],
    from: readonly string[],
    relation: Relation,
    prefix: string,
    cluster: string | undefined,
    slot: string,
    label?: string,
  ): string[] {
    let tails = [...from];
    let first = true;
    for (const task of tasks) {
      this.connect(
        tails,
        [this.headOf(task, prefix)],
        first ? relation : "SEQUENTIAL",
        first ? label : undefined,
      );
      tails = this.task(task, prefix, cluster, slot).tails;
      first = false;
    }
    return tails;
  }

  /** Errors leave from the block's start; finally follows the body (and the errors). Returns the tails. */
  branches(
    starts: readonly string[],
    body: readonly string[],
    errors: readonly Task[] | undefined,
    finallyTasks: readonly Task[] | undefined,
    prefix: string,
    cluster: string | undefined,
  ): string[] {
    let tails = [...body];
    if (errors?.length) tails.push(...this.sequence(errors, starts, "ERROR", prefix, cluster, "errors"));
    if (finallyTasks?.length)
      tails = this.sequence(finallyTasks, tails, "FINALLY", prefix, cluster, "finally");
    return tails;
  }

  /** Where the flow enters a task: its node, or its cluster's start. */
  private headOf(task: Task, prefix: string): string {
    const uid = `${prefix}.${task.id}`;
    return childTaskLists(task, this.registry).length > 0 ? `${uid}.$start` : uid;
  }

  private task(
    task: Task,
    prefix: string,
    cluster: string | undefined,
    slot: string,
  ): { head: string; tails: string[] } {
    const uid = `${prefix}.${task.id}`;
    const lists = childTaskLists(task, this.registry);
    if (lists.length === 0) {
      this.node({
        uid,
        kind: "task",
        taskId: task.id,
        type: task.type,
        ...(cluster ? { cluster } : {}),
        slot,
      });
      return { head: uid, tails: [uid] };
    }
    const box: GraphCluster = {
      uid,
      taskId: task.id,
      type: task.type,
      ...(cluster ? { parent: cluster } : {}),
      start: `${uid}.$start`,
      end: `${uid}.$end`,
    };
    this.graph.clusters.push(box);
    this.node({
      uid: box.start,
      kind: "cluster-start",
      taskId: task.id,
      type: task.type,
      ...(cluster ? { cluster } : {}),
      slot,
    });
    this.node({
      uid: box.end,
      kind: "cluster-end",
      taskId: task.id,
      type: task.type,
      ...(cluster ? { cluster } : {}),
      slot,
    });
    const body = this.body(task, lists, box);
    const byName = new Map(lists.map((l) => [l.slot, l.tasks]));
    const tails = this.branches([box.start], body, byName.get("errors"), byName.get("finally"), uid, uid);
    this.connect(tails, [box.end], "SEQUENTIAL");
    return { head: box.start, tails: [box.end] };
  }

  /** The block's own children, laid out by what the flowable does with them. */
  private body(task: Task, lists: { slot: string; tasks: Task[] }[], box: GraphCluster): string[] {
    const type = this.registry.get(task.type)?.type ?? task.type;
    const own = lists.filter((l) => !BRANCH_SLOTS.has(l.slot));
    const from = [box.start];
    if (type === "core.flow.Dag") return this.dag(task, box);
    if (type === "core.flow.If" || type === "core.flow.Switch") {
      const tails: string[] = [];
      for (const list of own) {
        const label = list.slot.startsWith("cases.") ? list.slot.slice("cases.".length) : list.slot;
        tails.push(...this.sequence(list.tasks, from, "CHOICE", box.uid, box.uid, list.slot, label));
      }
      // No else / no default: the block may also go straight through.
      const hasOtherwise = own.some((l) => l.slot === "else" || l.slot === "defaults");
      if (!hasOtherwise)
        this.connect(from, [box.end], "CHOICE", type === "core.flow.If" ? "else" : "defaults");
      return tails;
    }
    if (type === "core.flow.Approval") {
      // Kestra's Approval.tasksTree is a choice: onWait runs first, then onApprove or onDeny.
      const wait = own.find((l) => l.slot === "onWait");
      const after = wait ? this.sequence(wait.tasks, from, "SEQUENTIAL", box.uid, box.uid, wait.slot) : from;
      const tails: string[] = [];
      for (const list of own.filter((l) => l.slot !== "onWait"))
        tails.push(
          ...this.sequence(
            list.tasks,
            after,
            "CHOICE",
            box.uid,
            box.uid,
            list.slot,
            list.slot.replace(/^on/, "").toLowerCase(),
          ),
        );
      return tails.length > 0 ? tails : after;
    }
    const parallel =
      PARALLEL.has(type) ||
      (type === "core.flow.ForEach" && task.concurrencyLimit !== undefined && task.concurrencyLimit !== 1);
    const tails: string[] = [];
    let current = from;
    for (const list of own) {
      if (parallel) {
        for (const child of list.tasks) {
          this.connect(from, [this.headOf(child, box.uid)], "PARALLEL");
          tails.push(...this.task(child, box.uid, box.uid, list.slot).tails);
        }
      } else {
        current = this.sequence(list.tasks, current, "SEQUENTIAL", box.uid, box.uid, list.slot);
      }
    }
    return parallel ? tails : current;
  }

  /** A Dag: each task after those it depends on; the block ends after the tasks nothing depends on. */
  private dag(task: Task, box: GraphCluster): string[] {
    const entries = (task.tasks as { task: Task; dependsOn?: string[] }[] | undefined) ?? [];
    const pieces = new Map<string, { head: string; tails: string[] }>();
    for (const entry of entries) pieces.set(entry.task.id, this.task(entry.task, box.uid, box.uid, "tasks"));
    const dependedOn = new Set<string>();
    for (const entry of entries) {
      const piece = pieces.get(entry.task.id);
      if (!piece) continue;
      const deps = (entry.dependsOn ?? []).filter((id) => pieces.has(id));
      if (deps.length === 0) this.connect([box.start], [piece.head], "PARALLEL");
      for (const dep of deps) {
        dependedOn.add(dep);
        this.connect(pieces.get(dep)?.tails ?? [], [piece.head], "SEQUENTIAL");
      }
    }
    return entries
      .filter((e) => !dependedOn.has(e.task.id))
      .flatMap((e) => pieces.get(e.task.id)?.tails ?? []);
  }
}
