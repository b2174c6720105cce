// Webhook calls (`/api/v1/{tenant}/executions/webhook/{namespace}/{flowId}/{key}`): no token — the key is
// the credential — so: one 404 for every mismatch, 204 when the trigger's conditions do not hold, and with
// the trigger's `wait` the answer comes when the execution has ended. Brakes, all per (flow, client address)
// so that nobody's wrong keys ever block a caller with the right one at another address:
//   - calls per minute (CADENZA_WEBHOOK_RATE_LIMIT), counted before the key is looked at (one statement:
//     parallel calls cannot slip past it), so keys cannot be guessed at speed;
//   - wrong keys per 15 minutes (WRONG_KEY_LIMIT): beyond, that address gets 429 until the window ends.
//     Checked before and counted after the key is looked at (a right key must not count: a caller may have
//     many calls waiting for their executions), so a burst of parallel wrong keys can pass it — at most the
//     per-minute limit's worth, which is counted first.
import { toExecutionJson } from "@/engine/executor";
import { forTenant } from "../access/tenant-db";
import { writeAudit } from "../audit/audit";
import { limitAddress } from "../auth/client-ip";
import { hit, peek } from "../auth/rate-limit";
import type { PrismaClient } from "../db/client";
import type { ServerEngine } from "../engine";
import { NotFoundError, TooManyRequestsError } from "./errors";
import { WAIT_TIMEOUT_MS } from "./executions";

/** Headers a webhook caller may have sent that must not reach the execution's trigger variables. */
const CREDENTIAL_HEADERS = new Set(["authorization", "cookie", "proxy-authorization"]);

/** Calls with a wrong key (or to a flow without that webhook) one address may make per window. */
export const WRONG_KEY_LIMIT = 20;
export const WRONG_KEY_WINDOW_MS = 15 * 60_000;

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
  const flowKey = `webhook:${tenant.id}:${target.namespace}/${target.flowId}:${limitAddress(call.ip)}`;
  const perAddress = await hit(db, flowKey, 60_000);
  if (perAddress.count > options.limitPerMinute)
    throw new TooManyRequestsError(
      "Too many webhook calls from this address: slow down.",
      perAddress.retryAfterSeconds,
    );
  const wrongKey = `${flowKey}:wrong-key`;
  const wrong = await peek(db, wrongKey, WRONG_KEY_WINDOW_MS);
  if (wrong.count >= WRONG_KEY_LIMIT)
    throw new TooManyRequestsError(
      "Too many calls with a wrong key from this address: try again later.",
      wrong.retryAfterSeconds,
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
  if (result.status === "not-found") {
    await hit(db, wrongKey, WRONG_KEY_WINDOW_MS);
    throw new NotFoundError("Webhook not found.");
  }
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
