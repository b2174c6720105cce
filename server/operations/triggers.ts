// Triggers of flows: list, enable or disable, unlock, and backfills of Schedule triggers.
import { z } from "zod";
import { flowId, isoDate, label, namespace, triggerId } from "../services/schemas";
import {
  controlBackfill,
  getBackfill,
  listTriggers,
  setTriggerDisabled,
  startBackfill,
  unlockTrigger,
} from "../services/triggers";
import { defineOperation, fromInput } from "./operation";

const ref = z.object({ namespace, flowId, triggerId });
const onNamespace = fromInput<{ namespace: string }>("namespace");

export const triggerOperations = {
  list: defineOperation({
    name: "triggers.list",
    kind: "query",
    input: z.object({ namespace: namespace.optional(), flowId: flowId.optional() }),
    permission: { resource: "FLOW", action: "READ", namespace: "any" },
    run: (scope, input) => listTriggers(scope, input),
  }),
  /** The triggers of one flow (Kestra's path): of that namespace exactly, not its children. */
  ofFlow: defineOperation({
    name: "triggers.ofFlow",
    kind: "query",
    input: z.object({ namespace, flowId }),
    permission: { resource: "FLOW", action: "READ", namespace: onNamespace },
    run: async (scope, input) =>
      (await listTriggers(scope, input)).filter((t) => t.namespace === input.namespace),
  }),
  setDisabled: defineOperation({
    name: "triggers.setDisabled",
    kind: "mutation",
    audit: { resourceType: "TRIGGER", actions: ["UPDATE"] },
    input: ref.extend({ disabled: z.boolean() }),
    permission: { resource: "FLOW", action: "UPDATE", namespace: onNamespace },
    run: (scope, { disabled, ...trigger }) => setTriggerDisabled(scope, trigger, disabled),
  }),
  backfill: defineOperation({
    name: "triggers.backfill",
    kind: "mutation",
    audit: { resourceType: "TRIGGER", actions: ["BACKFILL"] },
    input: ref.extend({
      start: isoDate,
      end: isoDate,
      inputs: z.record(z.string(), z.unknown()).optional(),
      labels: z.array(label).optional(),
    }),
    permission: { resource: "EXECUTION", action: "CREATE", namespace: onNamespace },
    run: (scope, { start, end, inputs, labels, ...trigger }) =>
      startBackfill(scope, trigger, {
        start,
        end,
        ...(inputs ? { inputs } : {}),
        ...(labels ? { labels } : {}),
      }),
  }),
  getBackfill: defineOperation({
    name: "triggers.getBackfill",
    kind: "query",
    input: ref,
    permission: { resource: "EXECUTION", action: "READ", namespace: onNamespace },
    run: (scope, input) => getBackfill(scope, input),
  }),
  controlBackfill: defineOperation({
    name: "triggers.controlBackfill",
    kind: "mutation",
    audit: { resourceType: "TRIGGER", actions: ["BACKFILL_PAUSE", "BACKFILL_RESUME", "BACKFILL_CANCEL"] },
    input: ref.extend({ action: z.enum(["pause", "resume", "cancel"]) }),
    permission: { resource: "EXECUTION", action: "UPDATE", namespace: onNamespace },
    run: (scope, { action, ...trigger }) => controlBackfill(scope, trigger, action),
  }),
  unlock: defineOperation({
    name: "triggers.unlock",
    kind: "mutation",
    audit: { resourceType: "TRIGGER", actions: ["UNLOCK"] },
    input: ref,
    permission: { resource: "FLOW", action: "UPDATE", namespace: onNamespace },
    run: (scope, input) => unlockTrigger(scope, input),
  }),
};
