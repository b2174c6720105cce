// What the console pages need beyond the resource operations: the namespace tree and a namespace's
// overview, a KV entry as typed in a form, and flow dependencies (Kestra's FlowTopologyGraph).
import { z } from "zod";
import { flowDependencies, namespaceDependencies } from "../services/dependencies";
import { KV_TYPES, type KvType, parseKvText, parseTtl, setKv } from "../services/kv";
import { namespaceOverview, namespaceTree } from "../services/namespace-overview";
import { flowId, kvKey, namespace } from "../services/schemas";
import { defineOperation, fromInput } from "./operation";

const onNamespace = fromInput<{ namespace: string }>("namespace");
/** No input but the tenant (typed `object`: an empty zod object would refuse every key, `tenant` too). */
const none: z.ZodType<object, object> = z.object({});

export const consoleOperations = {
  /** The namespaces and their flow counts: the service narrows both to what the bindings cover. */
  namespaceTree: defineOperation({
    name: "console.namespaceTree",
    kind: "query",
    input: none,
    permission: [
      { resource: "NAMESPACE", action: "READ", namespace: "any" },
      { resource: "FLOW", action: "READ", namespace: "any" },
    ],
    run: (scope) => namespaceTree(scope),
  }),
  namespaceOverview: defineOperation({
    name: "console.namespaceOverview",
    kind: "query",
    input: z.object({ namespace }),
    permission: { resource: "NAMESPACE", action: "READ", namespace: onNamespace },
    run: (scope, input) => namespaceOverview(scope, input.namespace),
  }),
  /**
   * A KV entry from a form: the value as text, parsed as its type; the TTL as an ISO-8601 duration.
   * CREATE for a new key, UPDATE for an existing one: the service checks which once it has looked.
   */
  kvSet: defineOperation({
    name: "console.kvSet",
    kind: "mutation",
    audit: { resourceType: "KVSTORE", actions: ["CREATE", "UPDATE"] },
    input: z.object({
      namespace,
      key: kvKey,
      type: z.enum(KV_TYPES as [KvType, ...KvType[]]),
      value: z.string().max(1_000_000),
      ttl: z.string().max(50).optional(),
      description: z.string().max(1000).optional(),
      overwrite: z.boolean().optional(),
    }),
    permission: { resource: "KVSTORE", action: ["CREATE", "UPDATE"], namespace: onNamespace },
    run: (scope, input) =>
      setKv(scope, input.namespace, input.key, parseKvText(input.type, input.value), {
        type: input.type,
        ...(input.ttl ? { ttlMs: parseTtl(input.ttl) } : {}),
        ...(input.description ? { description: input.description } : {}),
        ...(input.overwrite !== undefined ? { overwrite: input.overwrite } : {}),
      }),
  }),
  /** The flows this flow calls or is triggered by, and those that call or trigger it. */
  flowDependencies: defineOperation({
    name: "console.flowDependencies",
    kind: "query",
    input: z.object({
      namespace,
      flowId,
      expandAll: z.boolean().optional().meta({ description: "Follow dependencies transitively." }),
    }),
    permission: { resource: "FLOW", action: "READ", namespace: onNamespace },
    run: (scope, input) =>
      flowDependencies(scope, input.namespace, input.flowId, { expandAll: input.expandAll ?? false }),
  }),
  /** The flows of a namespace (and its children) with the flows they call or are triggered by. */
  namespaceDependencies: defineOperation({
    name: "console.namespaceDependencies",
    kind: "query",
    input: z.object({ namespace }),
    permission: { resource: "FLOW", action: "READ", namespace: onNamespace },
    run: (scope, input) => namespaceDependencies(scope, input.namespace),
  }),
};
