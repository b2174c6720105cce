import { countRunning, lockFlowConcurrency } from "../../embedded/concurrency";
import type { Db } from "../../embedded/db";
import { withTransaction } from "../../embedded/db";
import type { TemporalActivities } from "./types";

type CountInput = Parameters<TemporalActivities["runningCount"]>[0];

/**
 * The `runningCount` activity: how many executions of the flow hold a slot, this one left out, and the
 * claim of the slot the executor will take from that count, in one transaction under the embedded
 * engine's flow lock (worker/embedded/concurrency.ts).
 *
 * The workflow writes the state its `step` decides (RUNNING, QUEUED) by a later `persist`; counting
 * without writing let two executions started at once both count 0 and both run. So the count is
 * followed, in the same transaction, by the row's `state` column set to what the executor decides from
 * that count with the same limit (a count below it runs, else QUEUE queues): the next counter sees this
 * execution as running, and an ending execution's pick of the next QUEUED one (also under the lock)
 * sees it queued. The `persist` of that step then writes the same state with the document, so the
 * column is ahead of the document only for that moment. CANCEL and FAIL end the execution: nothing to
 * claim. The executor counts only when the document is CREATED or QUEUED, and this workflow is its only
 * writer, so the column is then CREATED, QUEUED, or RUNNING from a claim (a release's, or this
 * activity's own before it was retried: its count leaves this execution out, so it claims the same).
 *
 * Kestra's executor does the same with its own counter: ConcurrencyLimitStateStore#countThenProcess
 * counts and takes the slot (running + 1) in one transaction, under a row lock.
 *
 * Without `limit` (an activity scheduled by a workflow of code that did not pass it) it only counts.
 */
export async function claimConcurrencySlot(pool: Db, input: CountInput): Promise<number> {
  const { tenantId, namespace, flowId, executionId, limit, behavior } = input;
  const key = { tenantId, namespace, flowId };
  return withTransaction(pool, async (client) => {
    await lockFlowConcurrency(client, key);
    const running = await countRunning(client, key, executionId);
    if (limit === undefined) return running;
    if (running < limit)
      await client.query(
        `update executions set state = 'RUNNING' where id = $1 and state in ('CREATED', 'QUEUED')`,
        [executionId],
      );
    else if (behavior === "QUEUE")
      // A RUNNING column here is a slot a release gave it (takeQueued) that its own count, under another
      // revision's limit, does not confirm: back in the queue, as the executor keeps it.
      await client.query(
        `update executions set state = 'QUEUED' where id = $1 and state in ('CREATED', 'RUNNING')`,
        [executionId],
      );
    return running;
  });
}
