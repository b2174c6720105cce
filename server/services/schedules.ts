// Temporal mode keeps each Schedule trigger as a Temporal Schedule (worker/temporal/schedules): after a
// flow or trigger change commits, its Schedules are brought in line here, the one call every path makes.
// A failure is reported, not thrown: the change is stored, and the Schedules of every tenant are synced
// again when a server starts. The embedded engine evaluates Schedule triggers itself: nothing to do.
import type { ServerEngine } from "../engine";

export async function syncFlowSchedules(
  engine: Pick<ServerEngine, "ctx" | "schedules">,
  tenantId: string,
  flow: { namespace: string; id: string },
): Promise<void> {
  await engine.schedules
    ?.flowChanged(tenantId, { namespace: flow.namespace, id: flow.id })
    .catch((error: unknown) =>
      engine.ctx.report(`the Schedules of flow ${flow.namespace}.${flow.id} could not be synced`, error),
    );
}
