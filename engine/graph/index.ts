export { type ExecutionGraph, executionGraph, type NodeRun } from "./execution-graph";
export { flowGraph } from "./flow-graph";
export type { FlowGraph, GraphCluster, GraphEdge, GraphNode, NodeKind, Relation } from "./model";
