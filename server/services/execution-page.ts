// What the execution page asks beyond the execution itself: which operations this person may do on it
// (the same `can()` the services enforce, so a disabled button names the missing permission), its
// relatives (previous/next execution of the same flow, parent, children, the last success before it) and
// each task's median duration over the flow's last successful executions (the Gantt's ghost bars).
import { can } from "../access/authorize";
import type { Action, Permission } from "../access/permissions";
import { NotFoundError } from "./errors";
import type { ServiceScope } from "./scope";

/**
 * The execution's namespace and flow, without its document (4 MB for 5,000 task runs); the operation's rule
 * has checked EXECUTION:READ on that namespace before the service runs.
 */
async function executionHead(scope: ServiceScope, id: string) {
  const found = await scope.db.execution.findUnique({
    where: { id },
    select: { namespace: true, flowId: true, startDate: true, parentId: true },
  });
  if (!found) throw new NotFoundError(`Execution ${id} not found.`);
  return found;
}

export interface Ability {
  allowed: boolean;
  /** e.g. "EXECUTION:UPDATE on company.team" — shown on a disabled action. */
  needs: string;
}

const OPERATIONS: Record<string, [Permission, Action]> = {
  restart: ["EXECUTION", "UPDATE"],
  kill: ["EXECUTION", "UPDATE"],
  pause: ["EXECUTION", "UPDATE"],
  resume: ["EXECUTION", "UPDATE"],
  review: ["EXECUTION", "UPDATE"],
  labels: ["EXECUTION", "UPDATE"],
  changeState: ["EXECUTION", "UPDATE"],
  changeStatus: ["EXECUTION", "UPDATE"],
  forceRun: ["EXECUTION", "UPDATE"],
  unqueue: ["EXECUTION", "UPDATE"],
  replay: ["EXECUTION", "CREATE"],
  delete: ["EXECUTION", "DELETE"],
};

/** What this person may do on the execution (EXECUTION:READ on it is required to ask). */
export async function executionAbilities(scope: ServiceScope, id: string): Promise<Record<string, Ability>> {
  const { namespace } = await executionHead(scope, id);
  return Object.fromEntries(
    Object.entries(OPERATIONS).map(([operation, [permission, action]]) => [
      operation,
      {
        allowed: can(scope.principal, permission, action, { tenant: scope.tenant, namespace }),
        needs: `needs ${permission}:${action} on ${namespace}`,
      },
    ]),
  );
}

export interface RelativeExecution {
  id: string;
  state: string;
  startDate: string;
  flowId: string;
  namespace: string;
  /** LOOP for a Loop's iteration, else null. */
  kind: string | null;
}

const pick = {
  id: true,
  state: true,
  startDate: true,
  flowId: true,
  namespace: true,
  flowRevision: true,
  kind: true,
} as const;

/** Previous, next and last success are the flow's own executions, not a Loop's iterations. */
const notLoop = { OR: [{ kind: null }, { kind: { not: "LOOP" } }] };

function relative(row: {
  id: string;
  state: string;
  startDate: Date;
  flowId: string;
  namespace: string;
  kind: string | null;
}): RelativeExecution {
  return {
    id: row.id,
    state: row.state,
    startDate: row.startDate.toISOString(),
    flowId: row.flowId,
    namespace: row.namespace,
    kind: row.kind,
  };
}

/** The previous and next execution of the same flow, its parent and children, the last success before it. */
export async function executionRelatives(scope: ServiceScope, id: string) {
  const self = await executionHead(scope, id);
  const sameFlow = { namespace: self.namespace, flowId: self.flowId };
  const [previous, next, lastSuccess, children, parent] = await Promise.all([
    scope.db.execution.findFirst({
      where: { ...sameFlow, ...notLoop, startDate: { lt: self.startDate } },
      orderBy: [{ startDate: "desc" }, { id: "desc" }],
      select: pick,
    }),
    scope.db.execution.findFirst({
      where: { ...sameFlow, ...notLoop, startDate: { gt: self.startDate } },
      orderBy: [{ startDate: "asc" }, { id: "asc" }],
      select: pick,
    }),
    scope.db.execution.findFirst({
      where: { ...sameFlow, ...notLoop, state: "SUCCESS", startDate: { lt: self.startDate } },
      orderBy: [{ startDate: "desc" }, { id: "desc" }],
      select: {
        ...pick,
        inputs: true,
        taskRuns: {
          select: { taskId: true, value: true, state: true, startDate: true, endDate: true },
          orderBy: { position: "asc" },
        },
      },
    }),
    scope.db.execution.findMany({
      where: { parentId: id },
      orderBy: { startDate: "asc" },
      take: 200,
      select: pick,
    }),
    self.parentId
      ? scope.db.execution.findUnique({ where: { id: self.parentId }, select: pick })
      : Promise.resolve(null),
  ]);
  return {
    ...(previous ? { previous: relative(previous) } : {}),
    ...(next ? { next: relative(next) } : {}),
    ...(parent ? { parent: relative(parent) } : {}),
    children: children.map(relative),
    ...(lastSuccess
      ? {
          lastSuccess: {
            ...relative(lastSuccess),
            flowRevision: lastSuccess.flowRevision,
            inputs: (lastSuccess.inputs ?? {}) as Record<string, unknown>,
            taskRuns: lastSuccess.taskRuns.map((run) => ({
              taskId: run.taskId,
              value: run.value,
              state: run.state,
              durationMs: run.endDate ? run.endDate.getTime() - run.startDate.getTime() : null,
            })),
          },
        }
      : {}),
  };
}

/** Each task's median duration (ms) over the flow's last `last` successful executions, computed in SQL. */
export async function taskDurationMedians(
  scope: ServiceScope,
  namespace: string,
  flowId: string,
  last = 20,
): Promise<Record<string, number>> {
  const engine = await scope.engine();
  const result = await engine.ctx.pool.query<{ task_id: string; median_ms: number }>(
    `with recent as (
       select id from executions
        where tenant_id = $1 and namespace = $2 and flow_id = $3 and state = 'SUCCESS'
        order by start_date desc limit $4)
     select t.task_id,
            percentile_cont(0.5) within group (order by extract(epoch from (t.end_date - t.start_date)) * 1000)
              as median_ms
       from task_runs t join recent r on r.id = t.execution_id
      where t.tenant_id = $1 and t.end_date is not null
      group by t.task_id`,
    [scope.tenant.id, namespace, flowId, last],
  );
  return Object.fromEntries(result.rows.map((row) => [row.task_id, Number(row.median_ms)]));
}
