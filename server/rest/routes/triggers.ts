import { z } from "zod";
import { triggerOperations as ops } from "../../operations/triggers";
import { isoDate, label } from "../../services/schemas";
import { type AnyRoute, operationRoute } from "../route";

const triggerJson = z
  .object({
    namespace: z.string(),
    flowId: z.string(),
    triggerId: z.string(),
    type: z.string(),
    disabled: z.boolean(),
    nextExecutionDate: z.string().nullable(),
    lastTriggeredDate: z.string().nullable(),
    backfill: z.unknown().nullable(),
    lockedBy: z.string().nullable(),
    webhookKey: z.string().optional(),
  })
  .meta({ id: "Trigger" });
const backfill = z
  .object({
    start: z.string(),
    end: z.string(),
    currentDate: z.string(),
    paused: z.boolean(),
    total: z.number(),
    done: z.number(),
    finishedAt: z.string().optional(),
    cancelledAt: z.string().optional(),
  })
  .meta({ id: "Backfill" });

export const triggerRoutes: AnyRoute[] = [
  operationRoute(ops.list, {
    method: "GET",
    path: "/triggers/search",
    tag: "Triggers",
    summary: "Triggers of the current flows, with their next date and backfill.",
    responses: [{ status: 200, description: "The triggers.", schema: z.array(triggerJson) }],
  }),
  operationRoute(ops.ofFlow, {
    method: "GET",
    path: "/triggers/{namespace}/{flowId}",
    tag: "Triggers",
    summary: "The triggers of one flow.",
    responses: [{ status: 200, description: "The triggers.", schema: z.array(triggerJson) }],
  }),
  operationRoute(ops.setDisabled, {
    method: "PUT",
    path: "/triggers/{namespace}/{flowId}/{triggerId}",
    tag: "Triggers",
    summary: "Disable or enable a trigger at run time: { disabled }.",
    body: { kind: "json", schema: z.object({ disabled: z.boolean() }) },
    responses: [{ status: 200, description: "The trigger.", schema: triggerJson }],
    input: ({ params, body }) => ({ ...params, ...(body as object) }),
  }),
  operationRoute(ops.backfill, {
    method: "POST",
    path: "/triggers/{namespace}/{flowId}/{triggerId}/backfill",
    tag: "Triggers",
    summary: "Backfill a Schedule trigger over [start, end): one execution per schedule date.",
    body: {
      kind: "json",
      schema: z.object({
        start: isoDate,
        end: isoDate,
        inputs: z.record(z.string(), z.unknown()).optional(),
        labels: z.array(label).optional(),
      }),
    },
    responses: [{ status: 200, description: "The backfill.", schema: backfill }],
    input: ({ params, body }) => ({ ...params, ...(body as object) }),
  }),
  operationRoute(ops.getBackfill, {
    method: "GET",
    path: "/triggers/{namespace}/{flowId}/{triggerId}/backfill",
    tag: "Triggers",
    summary: "A trigger's backfill and its progress.",
    responses: [{ status: 200, description: "The backfill.", schema: backfill }],
  }),
  operationRoute(ops.controlBackfill, {
    method: "POST",
    path: "/triggers/{namespace}/{flowId}/{triggerId}/backfill/{action}",
    tag: "Triggers",
    summary: "Pause, resume or cancel a running backfill.",
    responses: [{ status: 200, description: "The backfill.", schema: backfill }],
  }),
  operationRoute(ops.unlock, {
    method: "POST",
    path: "/triggers/{namespace}/{flowId}/{triggerId}/unlock",
    tag: "Triggers",
    summary: "Free a trigger held by the execution it started (it fires at its next date again).",
    responses: [{ status: 200, description: "The trigger.", schema: triggerJson }],
  }),
];
