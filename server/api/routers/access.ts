// Team, roles, bindings, service accounts, API tokens, settings and the audit log of a tenant.
import { z } from "zod";
import { searchAuditLog } from "../../audit/search";
import {
  createOwnToken,
  createServiceAccountToken,
  listTokens,
  revokeToken,
} from "../../services/api-tokens";
import { createBinding, deleteBinding, listBindings } from "../../services/bindings";
import { describeAccess } from "../../services/me";
import { createRole, deleteRole, listRoles, updateRole } from "../../services/roles";
import {
  email,
  entityId,
  expiresAt,
  grant,
  groupName,
  isoDate,
  namespace,
  page,
  roleName,
  roleRef,
  serviceAccountName,
  size,
  subjectType,
} from "../../services/schemas";
import {
  createServiceAccount,
  deleteServiceAccount,
  listServiceAccounts,
} from "../../services/service-accounts";
import { getSettings, updateSettings } from "../../services/settings";
import {
  createGroup,
  createInvitation,
  deleteGroup,
  listGroups,
  listInvitations,
  listMembers,
  removeMember,
  revokeInvitation,
  setGroupMember,
} from "../../services/team";
import { createTRPCRouter, tenantProcedure } from "../trpc";

const tokenRequest = z.object({ name: z.string().trim().min(1).max(100), expiresAt });

export const teamRouter = createTRPCRouter({
  access: tenantProcedure.query(({ ctx }) => describeAccess(ctx.scope)),
  members: tenantProcedure.query(({ ctx }) => listMembers(ctx.scope)),
  removeMember: tenantProcedure
    .input(z.object({ userId: entityId }))
    .mutation(({ ctx, input }) => removeMember(ctx.scope, input.userId)),
  invitations: tenantProcedure.query(({ ctx }) => listInvitations(ctx.scope)),
  invite: tenantProcedure
    .input(z.object({ email: email.optional(), role: roleRef, namespace: namespace.nullable().optional() }))
    .mutation(({ ctx, input }) => createInvitation(ctx.scope, input)),
  revokeInvitation: tenantProcedure
    .input(z.object({ invitationId: entityId }))
    .mutation(({ ctx, input }) => revokeInvitation(ctx.scope, input.invitationId)),
  groups: tenantProcedure.query(({ ctx }) => listGroups(ctx.scope)),
  createGroup: tenantProcedure
    .input(z.object({ name: groupName, description: z.string().max(1000).optional() }))
    .mutation(({ ctx, input }) => createGroup(ctx.scope, input)),
  deleteGroup: tenantProcedure
    .input(z.object({ groupId: entityId }))
    .mutation(({ ctx, input }) => deleteGroup(ctx.scope, input.groupId)),
  setGroupMember: tenantProcedure
    .input(z.object({ groupId: entityId, userId: entityId, member: z.boolean() }))
    .mutation(({ ctx, input }) => setGroupMember(ctx.scope, input.groupId, input.userId, input.member)),
});

export const rolesRouter = createTRPCRouter({
  list: tenantProcedure.query(({ ctx }) => listRoles(ctx.scope)),
  create: tenantProcedure
    .input(
      z.object({
        name: roleName,
        description: z.string().max(1000).optional(),
        permissions: z.array(grant).max(100),
      }),
    )
    .mutation(({ ctx, input }) => createRole(ctx.scope, input)),
  update: tenantProcedure
    .input(
      z.object({
        roleId: entityId,
        name: roleName.optional(),
        description: z.string().max(1000).nullable().optional(),
        permissions: z.array(grant).max(100).optional(),
      }),
    )
    .mutation(({ ctx, input: { roleId, ...change } }) => updateRole(ctx.scope, roleId, change)),
  delete: tenantProcedure
    .input(z.object({ roleId: entityId }))
    .mutation(({ ctx, input }) => deleteRole(ctx.scope, input.roleId)),
});

export const bindingsRouter = createTRPCRouter({
  list: tenantProcedure
    .input(z.object({ subjectType: subjectType.optional(), subjectId: entityId.optional() }))
    .query(({ ctx, input }) => listBindings(ctx.scope, input)),
  create: tenantProcedure
    .input(
      z.object({
        subjectType,
        subjectId: entityId,
        role: roleRef,
        namespace: namespace.nullable().optional(),
      }),
    )
    .mutation(({ ctx, input }) => createBinding(ctx.scope, input)),
  delete: tenantProcedure
    .input(z.object({ bindingId: entityId }))
    .mutation(({ ctx, input }) => deleteBinding(ctx.scope, input.bindingId)),
});

export const serviceAccountsRouter = createTRPCRouter({
  list: tenantProcedure.query(({ ctx }) => listServiceAccounts(ctx.scope)),
  create: tenantProcedure
    .input(z.object({ name: serviceAccountName, description: z.string().max(1000).optional() }))
    .mutation(({ ctx, input }) => createServiceAccount(ctx.scope, input)),
  delete: tenantProcedure
    .input(z.object({ serviceAccountId: entityId }))
    .mutation(({ ctx, input }) => deleteServiceAccount(ctx.scope, input.serviceAccountId)),
  createToken: tenantProcedure
    .input(tokenRequest.extend({ serviceAccountId: entityId }))
    .mutation(({ ctx, input: { serviceAccountId, ...request } }) =>
      createServiceAccountToken(ctx.scope, serviceAccountId, request),
    ),
});

export const tokensRouter = createTRPCRouter({
  list: tenantProcedure
    .input(z.object({ all: z.boolean().optional() }))
    .query(({ ctx, input }) => listTokens(ctx.scope, input)),
  create: tenantProcedure.input(tokenRequest).mutation(({ ctx, input }) => createOwnToken(ctx.scope, input)),
  revoke: tenantProcedure
    .input(z.object({ tokenId: entityId }))
    .mutation(({ ctx, input }) => revokeToken(ctx.scope, input.tokenId)),
});

export const settingsRouter = createTRPCRouter({
  get: tenantProcedure.query(({ ctx }) => getSettings(ctx.scope)),
  update: tenantProcedure
    .input(
      z.object({
        name: z.string().trim().min(1).max(100).optional(),
        settings: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .mutation(({ ctx, input }) => updateSettings(ctx.scope, input)),
});

export const auditRouter = createTRPCRouter({
  search: tenantProcedure
    .input(
      z.object({
        resourceType: z.string().max(50).optional(),
        resourceId: z.string().max(300).optional(),
        action: z.string().max(50).optional(),
        actorId: entityId.optional(),
        namespace: namespace.optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        page,
        size,
      }),
    )
    .query(({ ctx, input }) => searchAuditLog(ctx.scope, input)),
});
