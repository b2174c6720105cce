// An execution's labels, changed by a person (Kestra's "set labels"), under the execution's row lock like
// every change the engine makes to it. Two ways, as Kestra (since 0.22 and PR #9941) does them:
// - one execution (POST /executions/{id}/labels, the Overview's editor): the given list becomes the
//   labels, so a label left out is removed;
// - in bulk (/executions/labels/by-ids, by-query): each given key gets its value, other keys are kept.
// System labels (`system.*`) are Cadenza's own: they are kept either way and cannot be set or changed.
import type { Execution } from "@/engine/executor";
import { NotFoundError, UnprocessableError } from "./errors";
import { audit, check, type ServiceScope, sqlIn } from "./scope";

export type Label = { key: string; value: string };

const SYSTEM_PREFIX = "system.";
const isSystem = (label: Label) => label.key.startsWith(SYSTEM_PREFIX);

function validate(labels: Label[], existing: Label[]): void {
  const keys = new Set<string>();
  for (const label of labels) {
    if (!label.key.trim()) throw new UnprocessableError("A label needs a key.");
    if (keys.has(label.key)) throw new UnprocessableError(`The label ${label.key} is given twice.`);
    keys.add(label.key);
    // Kestra's rule: a system label may be sent back as it is (the editor sends what it shows), never changed.
    if (isSystem(label) && !existing.some((l) => l.key === label.key && l.value === label.value))
      throw new UnprocessableError(
        `System labels can only be set by Cadenza itself, offending label: ${label.key}=${label.value}`,
      );
  }
}

/** The labels after the change: `replace` keeps only the given ones (and system labels), `merge` adds them. */
function nextLabels(existing: Label[], given: Label[], mode: "replace" | "merge"): Label[] {
  const user = given.filter((l) => !isSystem(l));
  if (mode === "replace") return [...existing.filter(isSystem), ...user];
  const keys = new Set(user.map((l) => l.key));
  return [...existing.filter((l) => !keys.has(l.key)), ...user];
}

export async function setExecutionLabels(
  scope: ServiceScope,
  id: string,
  labels: Label[],
  mode: "replace" | "merge",
): Promise<Execution> {
  const found = await scope.db.execution.findUnique({ where: { id }, select: { namespace: true } });
  if (!found) throw new NotFoundError(`Execution ${id} not found.`);
  check(scope, "EXECUTION", "UPDATE", found.namespace);
  return scope.db.$transaction(async (tx) => {
    const client = sqlIn(tx);
    const locked = await client.query<{ document: Execution; labels: Label[] }>(
      "select document, labels from executions where id = $1 and tenant_id = $2 for update",
      [id, scope.tenant.id],
    );
    const row = locked.rows[0];
    if (!row) throw new NotFoundError(`Execution ${id} not found.`);
    validate(labels, row.labels);
    const next = nextLabels(row.labels, labels, mode);
    await client.query(
      `update executions set labels = $3::jsonb, document = jsonb_set(document, '{labels}', $3::jsonb),
         updated_at = now() where id = $1 and tenant_id = $2`,
      [id, scope.tenant.id, JSON.stringify(next)],
    );
    await audit(
      scope,
      {
        action: "UPDATE",
        resourceType: "EXECUTION",
        resourceId: id,
        namespace: found.namespace,
        before: { labels: row.labels },
        after: { labels: next },
      },
      tx,
    );
    return { ...row.document, labels: next };
  });
}
