// A flow's revisions as the Revisions tab lists them: each with its author's email (members of this
// tenant only — someone who has left shows as a former member, and no other tenant's user is revealed).
import { type FlowRevisionInfo, flowRevisions } from "./flows";
import type { ServiceScope } from "./scope";

export interface FlowRevisionEntry extends FlowRevisionInfo {
  author: string | null;
}

export async function flowHistory(
  scope: ServiceScope,
  namespace: string,
  id: string,
): Promise<FlowRevisionEntry[]> {
  const revisions = await flowRevisions(scope, namespace, id); // FLOW:READ
  const ids = [...new Set(revisions.map((r) => r.authorId).filter((a): a is string => a !== null))];
  const members = ids.length
    ? await scope.db.membership.findMany({
        where: { userId: { in: ids } },
        include: { user: { select: { email: true } } },
      })
    : [];
  const emails = new Map(members.map((m) => [m.userId, m.user.email]));
  return revisions.map((r) => ({
    ...r,
    author: r.authorId === null ? null : (emails.get(r.authorId) ?? "a former member"),
  }));
}
