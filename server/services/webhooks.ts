// Webhook calls (`/api/v1/{tenant}/executions/webhook/{namespace}/{flowId}/{key}`): no token — the key is
// the credential — so: rate-limited per client address and per flow (before the key is even looked at, so
// keys cannot be guessed at speed), one 404 for every mismatch, 204 when the trigger's conditions do not
// hold, and with the trigger's `wait` the answer comes when the execution has ended.
import { toExecutionJson } from "@/engine/executor";
import { forTenant } from "../access/tenant-db";
import { writeAudit } from "../audit/audit";
import { hit } from "../auth/rate-limit";
import type { PrismaClient } from "../db/client";
import type { ServerEngine } from "../engine";
import { NotFoundError, TooManyRequestsError } from "./errors";
import { WAIT_TIMEOUT_MS } from "./executions";

/** Headers a webhook caller may have sent that must not reach the execution's trigger variables. */
const CREDENTIAL_HEADERS = new Set(["authorization", "cookie", "proxy-authorization"]);

export interface WebhookCall {
  method: string;
  headers: Headers;
  query: Record<string, string | string[]>;
  body: string;
  ip?: string;
}

export interface WebhookAnswer {
  status: 200 | 204;
  body?: unknown;
}

export async function callWebhook(
  db: PrismaClient,
  engine: () => Promise<ServerEngine>,
  tenant: { id: string; slug: string },
  target: { namespace: string; flowId: string; key: string },
  call: WebhookCall,
  options: { limitPerMinute: number },
): Promise<WebhookAnswer> {
  const flowKey = `webhook:${tenant.id}:${target.namespace}/${target.flowId}`;
  const perAddress = await hit(db, `${flowKey}:${call.ip ?? "unknown"}`, 60_000);
  if (perAddress.count > options.limitPerMinute)
    throw new TooManyRequestsError(
      "Too many webhook calls from this address: slow down.",
      perAddress.retryAfterSeconds,
    );
  const perFlow = await hit(db, flowKey, 60_000);
  if (perFlow.count > options.limitPerMinute * 10)
    throw new TooManyRequestsError(
      "Too many webhook calls to this flow: slow down.",
      perFlow.retryAfterSeconds,
    );

  const headers: Record<string, string> = {};
  call.headers.forEach((value, name) => {
    if (!CREDENTIAL_HEADERS.has(name.toLowerCase())) headers[name] = value;
  });
  const { client } = await engine();
  const result = await client.webhook(
    tenant.id,
    target.namespace,
    target.flowId,
    target.key,
    { method: call.method, headers, query: call.query, body: call.body },
    { waitTimeoutMs: WAIT_TIMEOUT_MS },
  );
  if (result.status === "not-found") throw new NotFoundError("Webhook not found.");
  if (result.status === "conditions-not-met") return { status: 204 };
  await writeAudit(
    forTenant(db, tenant.id),
    {
      type: "WEBHOOK",
      name: `webhook ${target.namespace}.${target.flowId}`,
      ...(call.ip ? { ip: call.ip } : {}),
    },
    {
      action: "CREATE",
      resourceType: "EXECUTION",
      resourceId: result.execution.id,
      namespace: target.namespace,
      after: { flowId: target.flowId, trigger: result.execution.trigger?.id ?? null },
    },
  );
  if (result.wait && result.returnOutputs) return { status: 200, body: result.execution.outputs ?? {} };
  return { status: 200, body: toExecutionJson(result.execution) };
}
