/** How one node leads to the next (Kestra's RelationType, plus TRIGGER). */
export type Relation =
  | "SEQUENTIAL"
  | "PARALLEL"
  | "CHOICE"
  | "ERROR"
  | "FINALLY"
  | "AFTER_EXECUTION"
  | "TRIGGER";

export type NodeKind = "start" | "end" | "task" | "cluster-start" | "cluster-end" | "trigger";

export interface GraphNode {
  /**
   * Unique in the graph: `root.<task id>` nested by cluster (`root.group.step`); `root.$start`, `root.$end`,
   * `<cluster>.$start`, `<cluster>.$end` and `root.$triggers.<id>` for the others.
   */
  uid: string;
  kind: NodeKind;
  /** The task (or trigger) id, on task, cluster and trigger nodes. */
  taskId?: string;
  /** The plugin type as written in the flow. */
  type?: string;
  /** The cluster (flowable task) the node sits in; absent at the top of the flow. */
  cluster?: string;
  /** Where a task sits in its parent: `tasks`, `errors`, `finally`, `then`, `cases.A`, `afterExecution`... */
  slot?: string;
}

export interface GraphEdge {
  source: string;
  target: string;
  relation: Relation;
  /** On the first edge of a branch: the If branch (`then`/`else`) or the Switch case. */
  label?: string;
}

/** A flowable task drawn as a box around its children. */
export interface GraphCluster {
  uid: string;
  taskId: string;
  type: string;
  /** The enclosing cluster, if any. */
  parent?: string;
  start: string;
  end: string;
}

/** The topology of a flow: what the editor and the execution page draw. */
export interface FlowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  clusters: GraphCluster[];
}
