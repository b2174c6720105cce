import { withReplayedLabel } from "@/engine/executor";
import type { Label } from "@/engine/plugin";
import { type Db, withTransaction } from "./db";

/**
 * Marks the execution a replay was made from with `system.replayed: true`, as Kestra's
 * ExecutionController.innerReplay saves it on the original. The original has ended, so no step of the
 * executor writes it any more: its stored document and labels column change here, under its row lock,
 * on either engine (a Temporal run's rows in Postgres are its read model).
 */
export async function markReplayed(db: Db, tenantId: string, executionId: string): Promise<void> {
  await withTransaction(db, async (client) => {
    const locked = await client.query<{ labels: Label[] | null }>(
      "select labels from executions where id = $1 and tenant_id = $2 for update",
      [executionId, tenantId],
    );
    const row = locked.rows[0];
    if (!row) return;
    const labels = JSON.stringify(withReplayedLabel(row.labels ?? []));
    await client.query(
      `update executions set labels = $3::jsonb, document = jsonb_set(document, '{labels}', $3::jsonb),
         updated_at = now() where id = $1 and tenant_id = $2`,
      [executionId, tenantId, labels],
    );
  });
}
