// The people of a tenant: members (with their bindings), invitations by link, groups.
import { hashToken, randomSecret } from "../auth/tokens";
import { type BindingJson, bindingJson, otherAdmins, resolveRole } from "./bindings";
import { ConflictError, NotFoundError, UnprocessableError } from "./errors";
import { audit, type ServiceScope } from "./scope";

export interface MemberJson {
  userId: string;
  email: string;
  name: string | null;
  joined: string;
  bindings: BindingJson[];
  groups: { id: string; name: string }[];
}

const bindingInclude = {
  user: { select: { email: true } },
  group: { select: { name: true } },
  serviceAccount: { select: { name: true } },
  role: { select: { name: true } },
} as const;

export async function listMembers(scope: ServiceScope): Promise<MemberJson[]> {
  const [members, bindings, groups] = await Promise.all([
    scope.db.membership.findMany({
      include: { user: { select: { id: true, email: true, name: true } } },
      orderBy: { createdAt: "asc" },
    }),
    scope.db.binding.findMany({ where: { subjectType: "USER" }, include: bindingInclude }),
    scope.db.groupMember.findMany({ include: { group: { select: { id: true, name: true } } } }),
  ]);
  return members.map((m) => ({
    userId: m.userId,
    email: m.user.email,
    name: m.user.name,
    joined: m.createdAt.toISOString(),
    bindings: bindings.filter((b) => b.userId === m.userId).map(bindingJson),
    groups: groups.filter((g) => g.userId === m.userId).map((g) => g.group),
  }));
}

/** Removes a member: their membership, bindings, group memberships and tokens in this tenant. */
export async function removeMember(scope: ServiceScope, userId: string): Promise<void> {
  const member = await scope.db.membership.findUnique({
    where: { tenantId_userId: { tenantId: scope.tenant.id, userId } },
    include: { user: { select: { email: true } } },
  });
  if (!member) throw new NotFoundError(`User ${userId} is not a member of this tenant.`);
  if ((await otherAdmins(scope.db, { userId })) === 0)
    throw new ConflictError("This member is the tenant's last Admin: give Admin to someone else first.");
  await scope.db.$transaction(async (tx) => {
    await tx.binding.deleteMany({ where: { userId } });
    await tx.groupMember.deleteMany({ where: { userId } });
    await tx.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: scope.now() } });
    await tx.membership.delete({ where: { tenantId_userId: { tenantId: scope.tenant.id, userId } } });
    await audit(
      scope,
      { action: "DELETE", resourceType: "USER", resourceId: userId, before: { email: member.user.email } },
      tx,
    );
  });
}

// ------------------------------------------------------------------------------------------ invitations

export interface InvitationJson {
  id: string;
  email: string | null;
  role: string;
  namespace: string | null;
  expiresAt: string;
  created: string;
}

export interface CreatedInvitation extends InvitationJson {
  /** The secret part of the link, shown once: the link is `/invite/<token>`. */
  token: string;
  path: string;
}

export const INVITATION_LIFETIME_MS = 7 * 86_400_000;

const invitationJson = (row: {
  id: string;
  email: string | null;
  builtInRole: string | null;
  namespace: string | null;
  expiresAt: Date;
  createdAt: Date;
  role?: { name: string } | null;
}): InvitationJson => ({
  id: row.id,
  email: row.email,
  role: row.builtInRole ?? row.role?.name ?? "?",
  namespace: row.namespace,
  expiresAt: row.expiresAt.toISOString(),
  created: row.createdAt.toISOString(),
});

export async function listInvitations(scope: ServiceScope): Promise<InvitationJson[]> {
  const rows = await scope.db.invitation.findMany({
    where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: scope.now() } },
    include: { role: { select: { name: true } } },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(invitationJson);
}

/** An invitation link to join with a role (tenant-wide, or on a namespace). Inviting grants: BINDING:CREATE too. */
export async function createInvitation(
  scope: ServiceScope,
  request: { email?: string | null; role: string; namespace?: string | null },
): Promise<CreatedInvitation> {
  const role = await resolveRole(scope.db, request.role);
  const token = randomSecret();
  return scope.db.$transaction(async (tx) => {
    const row = await tx.invitation.create({
      data: {
        tenantId: scope.tenant.id,
        email: request.email ? request.email.trim().toLowerCase() : null,
        ...role,
        namespace: request.namespace ?? null,
        tokenHash: hashToken(token),
        invitedById: scope.principal.kind === "user" ? scope.principal.id : null,
        expiresAt: new Date(scope.now().getTime() + INVITATION_LIFETIME_MS),
      },
      include: { role: { select: { name: true } } },
    });
    const info = invitationJson(row);
    await audit(scope, { action: "CREATE", resourceType: "INVITATION", resourceId: row.id, after: info }, tx);
    return { ...info, token, path: `/invite/${token}` };
  });
}

export async function revokeInvitation(scope: ServiceScope, invitationId: string): Promise<void> {
  const row = await scope.db.invitation.findUnique({
    where: { id: invitationId },
    include: { role: { select: { name: true } } },
  });
  if (!row || row.acceptedAt || row.revokedAt)
    throw new NotFoundError(`Invitation ${invitationId} not found.`);
  await scope.db.$transaction(async (tx) => {
    await tx.invitation.update({ where: { id: invitationId }, data: { revokedAt: scope.now() } });
    await audit(
      scope,
      { action: "DELETE", resourceType: "INVITATION", resourceId: invitationId, before: invitationJson(row) },
      tx,
    );
  });
}

// ------------------------------------------------------------------------------------------ groups

export interface GroupJson {
  id: string;
  name: string;
  description: string | null;
  members: { userId: string; email: string }[];
}

export const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/;

export async function listGroups(scope: ServiceScope): Promise<GroupJson[]> {
  const rows = await scope.db.group.findMany({
    include: { members: { include: { user: { select: { email: true } } } } },
    orderBy: { name: "asc" },
  });
  return rows.map((g) => ({
    id: g.id,
    name: g.name,
    description: g.description,
    members: g.members.map((m) => ({ userId: m.userId, email: m.user.email })),
  }));
}

export async function createGroup(
  scope: ServiceScope,
  request: { name: string; description?: string },
): Promise<GroupJson> {
  if (await scope.db.group.findFirst({ where: { name: request.name } }))
    throw new ConflictError(`A group named ${request.name} exists already.`);
  return scope.db.$transaction(async (tx) => {
    const row = await tx.group.create({
      data: { tenantId: scope.tenant.id, name: request.name, description: request.description ?? null },
    });
    await audit(
      scope,
      { action: "CREATE", resourceType: "GROUP", resourceId: row.id, after: { name: row.name } },
      tx,
    );
    return { id: row.id, name: row.name, description: row.description, members: [] };
  });
}

export async function deleteGroup(scope: ServiceScope, groupId: string): Promise<void> {
  const row = await scope.db.group.findUnique({ where: { id: groupId } });
  if (!row) throw new NotFoundError(`Group ${groupId} not found.`);
  await scope.db.$transaction(async (tx) => {
    await tx.group.delete({ where: { id: groupId } });
    await audit(
      scope,
      { action: "DELETE", resourceType: "GROUP", resourceId: groupId, before: { name: row.name } },
      tx,
    );
  });
}

export async function setGroupMember(
  scope: ServiceScope,
  groupId: string,
  userId: string,
  member: boolean,
): Promise<void> {
  const group = await scope.db.group.findUnique({ where: { id: groupId } });
  if (!group) throw new NotFoundError(`Group ${groupId} not found.`);
  if (member && !(await scope.db.membership.findFirst({ where: { userId } })))
    throw new UnprocessableError(`User ${userId} is not a member of this tenant.`);
  await scope.db.$transaction(async (tx) => {
    if (member) {
      await tx.groupMember.upsert({
        where: { groupId_userId: { groupId, userId } },
        create: { tenantId: scope.tenant.id, groupId, userId },
        update: {},
      });
    } else {
      const removed = await tx.groupMember.deleteMany({ where: { groupId, userId } });
      if (removed.count === 0) throw new NotFoundError(`User ${userId} is not in group ${group.name}.`);
    }
    await audit(
      scope,
      {
        action: "UPDATE",
        resourceType: "GROUP",
        resourceId: groupId,
        after: { [member ? "added" : "removed"]: userId },
      },
      tx,
    );
  });
}
