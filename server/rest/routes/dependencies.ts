// Flow dependencies (Kestra's FlowTopologyGraph): which flows call or trigger which, for one flow and for a
// namespace. Computed in server/services/dependencies.ts.
import { z } from "zod";
import { consoleOperations as ops } from "../../operations/console";
import { type AnyRoute, operationRoute } from "../route";

const graph = z
  .object({
    nodes: z.array(z.object({ uid: z.string(), namespace: z.string(), id: z.string() })),
    edges: z.array(
      z.object({
        source: z.string(),
        target: z.string(),
        relation: z.object({ relationType: z.enum(["FLOW_TASK", "FLOW_TRIGGER"]) }),
      }),
    ),
  })
  .meta({
    id: "FlowTopologyGraph",
    description:
      "Flows as nodes (uid `namespace_id`); an edge goes from the flow whose execution comes first to the one it starts: FLOW_TASK for a Subflow or ForEachItem task, FLOW_TRIGGER for a Flow trigger.",
  });

export const dependencyRoutes: AnyRoute[] = [
  operationRoute(ops.flowDependencies, {
    method: "GET",
    path: "/flows/{namespace}/{flowId}/dependencies",
    tag: "Flows",
    summary: "The flows this flow calls or is triggered by, and those that call or trigger it.",
    responses: [{ status: 200, description: "The dependency graph.", schema: graph }],
  }),
  operationRoute(ops.namespaceDependencies, {
    method: "GET",
    path: "/namespaces/{namespace}/dependencies",
    tag: "Namespaces",
    summary: "The flows of a namespace (and its children) with the flows they call or are triggered by.",
    responses: [{ status: 200, description: "The dependency graph.", schema: graph }],
  }),
];
