// Who may do what in a tenant: the team (members, invitations, groups), roles, bindings, service accounts,
// API tokens, settings and the audit log. All tenant-wide: a binding on a namespace gives none of these.
import { z } from "zod";
import { searchAuditLog } from "../audit/search";
import { createOwnToken, createServiceAccountToken, listTokens, revokeToken } from "../services/api-tokens";
import { createBinding, deleteBinding, listBindings } from "../services/bindings";
import { describeAccess } from "../services/me";
import { createRole, deleteRole, listRoles, updateRole } from "../services/roles";
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
} from "../services/schemas";
import {
  createServiceAccount,
  deleteServiceAccount,
  listServiceAccounts,
} from "../services/service-accounts";
import { getSettings, updateSettings } from "../services/settings";
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
} from "../services/team";
import { defineOperation, tenantWide } from "./operation";

/** No input but the tenant (typed `object`: an empty zod object would refuse every key, `tenant` too). */
const none: z.ZodType<object, object> = z.object({});
const tokenRequest = z.object({ name: z.string().trim().min(1).max(100), expiresAt });

export const teamOperations = {
  /** The caller's own grants here (the UI's `me`): every member may ask. */
  access: defineOperation({
    name: "team.access",
    kind: "query",
    input: none,
    permission: "authenticated",
    run: (scope) => describeAccess(scope),
  }),
  members: defineOperation({
    name: "team.members",
    kind: "query",
    input: none,
    permission: tenantWide("USER", "READ"),
    run: (scope) => listMembers(scope),
  }),
  removeMember: defineOperation({
    name: "team.removeMember",
    kind: "mutation",
    audit: { resourceType: "USER", actions: ["DELETE"] },
    input: z.object({ userId: entityId }),
    permission: tenantWide("USER", "DELETE"),
    run: (scope, input) => removeMember(scope, input.userId),
  }),
  invitations: defineOperation({
    name: "team.invitations",
    kind: "query",
    input: none,
    permission: tenantWide("USER", "READ"),
    run: (scope) => listInvitations(scope),
  }),
  /** An invitation brings a person in (USER) with a role (BINDING): both are needed. */
  invite: defineOperation({
    name: "team.invite",
    kind: "mutation",
    audit: { resourceType: "INVITATION", actions: ["CREATE"] },
    input: z.object({ email: email.optional(), role: roleRef, namespace: namespace.nullable().optional() }),
    permission: [tenantWide("USER", "CREATE"), tenantWide("BINDING", "CREATE")],
    run: (scope, input) => createInvitation(scope, input),
  }),
  revokeInvitation: defineOperation({
    name: "team.revokeInvitation",
    kind: "mutation",
    audit: { resourceType: "INVITATION", actions: ["DELETE"] },
    input: z.object({ invitationId: entityId }),
    permission: tenantWide("USER", "DELETE"),
    run: (scope, input) => revokeInvitation(scope, input.invitationId),
  }),
  groups: defineOperation({
    name: "team.groups",
    kind: "query",
    input: none,
    permission: tenantWide("USER", "READ"),
    run: (scope) => listGroups(scope),
  }),
  createGroup: defineOperation({
    name: "team.createGroup",
    kind: "mutation",
    audit: { resourceType: "GROUP", actions: ["CREATE"] },
    input: z.object({ name: groupName, description: z.string().max(1000).optional() }),
    permission: tenantWide("USER", "CREATE"),
    run: (scope, input) => createGroup(scope, input),
  }),
  deleteGroup: defineOperation({
    name: "team.deleteGroup",
    kind: "mutation",
    audit: { resourceType: "GROUP", actions: ["DELETE"] },
    input: z.object({ groupId: entityId }),
    permission: tenantWide("USER", "DELETE"),
    run: (scope, input) => deleteGroup(scope, input.groupId),
  }),
  setGroupMember: defineOperation({
    name: "team.setGroupMember",
    kind: "mutation",
    audit: { resourceType: "GROUP", actions: ["UPDATE"] },
    input: z.object({ groupId: entityId, userId: entityId, member: z.boolean() }),
    permission: tenantWide("USER", "UPDATE"),
    run: (scope, input) => setGroupMember(scope, input.groupId, input.userId, input.member),
  }),
};

export const roleOperations = {
  list: defineOperation({
    name: "roles.list",
    kind: "query",
    input: none,
    permission: tenantWide("ROLE", "READ"),
    run: (scope) => listRoles(scope),
  }),
  create: defineOperation({
    name: "roles.create",
    kind: "mutation",
    audit: { resourceType: "ROLE", actions: ["CREATE"] },
    input: z.object({
      name: roleName,
      description: z.string().max(1000).optional(),
      permissions: z.array(grant).max(100),
    }),
    permission: tenantWide("ROLE", "CREATE"),
    run: (scope, input) => createRole(scope, input),
  }),
  update: defineOperation({
    name: "roles.update",
    kind: "mutation",
    audit: { resourceType: "ROLE", actions: ["UPDATE"] },
    input: z.object({
      roleId: entityId,
      name: roleName.optional(),
      description: z.string().max(1000).nullable().optional(),
      permissions: z.array(grant).max(100).optional(),
    }),
    permission: tenantWide("ROLE", "UPDATE"),
    run: (scope, { roleId, ...change }) => updateRole(scope, roleId, change),
  }),
  delete: defineOperation({
    name: "roles.delete",
    kind: "mutation",
    audit: { resourceType: "ROLE", actions: ["DELETE"] },
    input: z.object({ roleId: entityId }),
    permission: tenantWide("ROLE", "DELETE"),
    run: (scope, input) => deleteRole(scope, input.roleId),
  }),
};

export const bindingOperations = {
  list: defineOperation({
    name: "bindings.list",
    kind: "query",
    input: z.object({ subjectType: subjectType.optional(), subjectId: entityId.optional() }),
    permission: tenantWide("BINDING", "READ"),
    run: (scope, input) => listBindings(scope, input),
  }),
  create: defineOperation({
    name: "bindings.create",
    kind: "mutation",
    audit: { resourceType: "BINDING", actions: ["CREATE"] },
    input: z.object({
      subjectType,
      subjectId: entityId,
      role: roleRef,
      namespace: namespace.nullable().optional(),
    }),
    permission: tenantWide("BINDING", "CREATE"),
    run: (scope, input) => createBinding(scope, input),
  }),
  delete: defineOperation({
    name: "bindings.delete",
    kind: "mutation",
    audit: { resourceType: "BINDING", actions: ["DELETE"] },
    input: z.object({ bindingId: entityId }),
    permission: tenantWide("BINDING", "DELETE"),
    run: (scope, input) => deleteBinding(scope, input.bindingId),
  }),
};

export const serviceAccountOperations = {
  list: defineOperation({
    name: "serviceAccounts.list",
    kind: "query",
    input: none,
    permission: tenantWide("SERVICE_ACCOUNT", "READ"),
    run: (scope) => listServiceAccounts(scope),
  }),
  create: defineOperation({
    name: "serviceAccounts.create",
    kind: "mutation",
    audit: { resourceType: "SERVICE_ACCOUNT", actions: ["CREATE"] },
    input: z.object({ name: serviceAccountName, description: z.string().max(1000).optional() }),
    permission: tenantWide("SERVICE_ACCOUNT", "CREATE"),
    run: (scope, input) => createServiceAccount(scope, input),
  }),
  delete: defineOperation({
    name: "serviceAccounts.delete",
    kind: "mutation",
    audit: { resourceType: "SERVICE_ACCOUNT", actions: ["DELETE"] },
    input: z.object({ serviceAccountId: entityId }),
    permission: tenantWide("SERVICE_ACCOUNT", "DELETE"),
    run: (scope, input) => deleteServiceAccount(scope, input.serviceAccountId),
  }),
  createToken: defineOperation({
    name: "serviceAccounts.createToken",
    kind: "mutation",
    audit: { resourceType: "APITOKEN", actions: ["CREATE"] },
    input: tokenRequest.extend({ serviceAccountId: entityId }),
    permission: tenantWide("APITOKEN", "CREATE"),
    run: (scope, { serviceAccountId, ...request }) =>
      createServiceAccountToken(scope, serviceAccountId, request),
  }),
};

/**
 * One's own tokens need no permission; others' do (APITOKEN:READ to list them all, APITOKEN:DELETE to
 * revoke one): the service checks that once it knows whose token it is.
 */
export const tokenOperations = {
  list: defineOperation({
    name: "tokens.list",
    kind: "query",
    input: z.object({ all: z.boolean().optional() }),
    permission: "authenticated",
    run: (scope, input) => listTokens(scope, input),
  }),
  create: defineOperation({
    name: "tokens.create",
    kind: "mutation",
    audit: { resourceType: "APITOKEN", actions: ["CREATE"] },
    input: tokenRequest,
    permission: "authenticated",
    run: (scope, input) => createOwnToken(scope, input),
  }),
  revoke: defineOperation({
    name: "tokens.revoke",
    kind: "mutation",
    audit: { resourceType: "APITOKEN", actions: ["DELETE"] },
    input: z.object({ tokenId: entityId }),
    permission: "authenticated",
    run: (scope, input) => revokeToken(scope, input.tokenId),
  }),
};

export const settingOperations = {
  get: defineOperation({
    name: "settings.get",
    kind: "query",
    input: none,
    permission: tenantWide("SETTING", "READ"),
    run: (scope) => getSettings(scope),
  }),
  update: defineOperation({
    name: "settings.update",
    kind: "mutation",
    audit: { resourceType: "SETTING", actions: ["UPDATE"] },
    input: z.object({
      name: z.string().trim().min(1).max(100).optional(),
      settings: z.record(z.string(), z.unknown()).optional(),
    }),
    permission: tenantWide("SETTING", "UPDATE"),
    run: (scope, input) => updateSettings(scope, input),
  }),
};

export const auditOperations = {
  search: defineOperation({
    name: "audit.search",
    kind: "query",
    input: z.object({
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
    permission: tenantWide("AUDITLOG", "READ"),
    run: (scope, input) => searchAuditLog(scope, input),
  }),
};
