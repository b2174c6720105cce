import { z } from "zod";
import {
  auditOperations,
  bindingOperations,
  roleOperations,
  serviceAccountOperations,
  settingOperations,
  teamOperations,
  tokenOperations,
} from "../../operations/access";
import {
  email,
  entityId,
  expiresAt,
  grant,
  groupName,
  namespace,
  roleName,
  roleRef,
  serviceAccountName,
  subjectType,
} from "../../services/schemas";
import { type AnyRoute, operationRoute } from "../route";

const ok = (description: string, schema?: z.ZodType) => [
  { status: 200, description, ...(schema ? { schema } : {}) },
];
const gone = [{ status: 204, description: "Done." }];

const apiToken = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    owner: z.object({ type: z.string(), id: z.string(), name: z.string() }),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    created: z.string(),
  })
  .meta({ id: "ApiToken" });
const createdToken = apiToken
  .extend({ token: z.string().meta({ description: "The token: shown this once." }) })
  .meta({ id: "CreatedApiToken" });
const tokenRequest = z.object({ name: z.string().trim().min(1).max(100), expiresAt });
const binding = z
  .object({
    id: z.string(),
    subjectType: z.string(),
    subjectId: z.string(),
    subjectName: z.string(),
    role: z.string(),
    builtIn: z.boolean(),
    roleId: z.string().nullable(),
    namespace: z.string().nullable(),
    created: z.string(),
  })
  .meta({ id: "Binding" });
const role = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    builtIn: z.boolean(),
    permissions: z.array(z.string()),
  })
  .meta({ id: "Role" });

/** The JSON body with the path parameters (which name what is changed): the operation's input. */
const paramsAndBody = ({ params, body }: { params: object; body: unknown }) => ({
  ...(body as object),
  ...params,
});
const created = <R>(result: R) => ({ status: 201, body: result });
const done = () => ({});

export const administrationRoutes: AnyRoute[] = [
  operationRoute(teamOperations.access, {
    method: "GET",
    path: "/me",
    tag: "Access",
    summary: "Who you are here, and what your roles let you do.",
    responses: ok("The principal and its grants."),
  }),
  // ------------------------------------------------------------------------------------ members
  operationRoute(teamOperations.members, {
    method: "GET",
    path: "/users",
    tag: "Team",
    summary: "Members of the tenant with their bindings and groups.",
    responses: ok("The members."),
  }),
  operationRoute(teamOperations.removeMember, {
    method: "DELETE",
    path: "/users/{userId}",
    tag: "Team",
    summary: "Remove a member (their bindings, group memberships and tokens here go too).",
    responses: gone,
    output: done,
  }),
  operationRoute(teamOperations.invitations, {
    method: "GET",
    path: "/invitations",
    tag: "Team",
    summary: "Pending invitations.",
    responses: ok("The invitations."),
  }),
  operationRoute(teamOperations.invite, {
    method: "POST",
    path: "/invitations",
    tag: "Team",
    summary: "Invite by link: { email?, role, namespace? }. The answer holds the link, shown once.",
    body: {
      kind: "json",
      schema: z.object({
        email: email.optional(),
        role: roleRef,
        namespace: namespace.nullable().optional(),
      }),
    },
    responses: [{ status: 201, description: "The invitation with its `path` (/invite/...)." }],
    input: paramsAndBody,
    output: (invitation, { request }) =>
      created({ ...invitation, url: new URL(invitation.path, request.url).toString() }),
  }),
  operationRoute(teamOperations.revokeInvitation, {
    method: "DELETE",
    path: "/invitations/{invitationId}",
    tag: "Team",
    summary: "Revoke a pending invitation.",
    responses: gone,
    output: done,
  }),
  // ------------------------------------------------------------------------------------ groups
  operationRoute(teamOperations.groups, {
    method: "GET",
    path: "/groups",
    tag: "Team",
    summary: "Groups and their members.",
    responses: ok("The groups."),
  }),
  operationRoute(teamOperations.createGroup, {
    method: "POST",
    path: "/groups",
    tag: "Team",
    summary: "Create a group: { name, description? }.",
    body: {
      kind: "json",
      schema: z.object({ name: groupName, description: z.string().max(1000).optional() }),
    },
    responses: [{ status: 201, description: "The group." }],
    input: paramsAndBody,
    output: created,
  }),
  operationRoute(teamOperations.deleteGroup, {
    method: "DELETE",
    path: "/groups/{groupId}",
    tag: "Team",
    summary: "Delete a group (its bindings go too).",
    responses: gone,
    output: done,
  }),
  operationRoute(teamOperations.setGroupMember, {
    method: "PUT",
    path: "/groups/{groupId}/members/{userId}",
    tag: "Team",
    summary: "Add a member to a group.",
    responses: gone,
    input: ({ params }) => ({ ...params, member: true }),
    output: done,
  }),
  operationRoute(teamOperations.setGroupMember, {
    method: "DELETE",
    path: "/groups/{groupId}/members/{userId}",
    tag: "Team",
    summary: "Remove a member from a group.",
    responses: gone,
    input: ({ params }) => ({ ...params, member: false }),
    output: done,
  }),
  // ------------------------------------------------------------------------------------ roles and bindings
  operationRoute(roleOperations.list, {
    method: "GET",
    path: "/roles",
    tag: "Access",
    summary: "Built-in and custom roles with their permissions.",
    responses: ok("The roles.", z.array(role)),
  }),
  operationRoute(roleOperations.create, {
    method: "POST",
    path: "/roles",
    tag: "Access",
    summary: 'Create a custom role: { name, description?, permissions: ["FLOW:READ", ...] }.',
    body: {
      kind: "json",
      schema: z.object({
        name: roleName,
        description: z.string().max(1000).optional(),
        permissions: z.array(grant).max(100),
      }),
    },
    responses: [{ status: 201, description: "The role.", schema: role }],
    input: paramsAndBody,
    output: created,
  }),
  operationRoute(roleOperations.update, {
    method: "PUT",
    path: "/roles/{roleId}",
    tag: "Access",
    summary: "Change a custom role.",
    body: {
      kind: "json",
      schema: z.object({
        name: roleName.optional(),
        description: z.string().max(1000).nullable().optional(),
        permissions: z.array(grant).max(100).optional(),
      }),
    },
    responses: ok("The role.", role),
    input: paramsAndBody,
  }),
  operationRoute(roleOperations.delete, {
    method: "DELETE",
    path: "/roles/{roleId}",
    tag: "Access",
    summary: "Delete a custom role and its bindings.",
    responses: gone,
    output: done,
  }),
  operationRoute(bindingOperations.list, {
    method: "GET",
    path: "/bindings",
    tag: "Access",
    summary: "Role bindings, optionally of one subject.",
    responses: ok("The bindings.", z.array(binding)),
  }),
  operationRoute(bindingOperations.create, {
    method: "POST",
    path: "/bindings",
    tag: "Access",
    summary:
      "Give a role to a user, group or service account, tenant-wide or on a namespace and its children.",
    body: {
      kind: "json",
      schema: z.object({
        subjectType,
        subjectId: entityId,
        role: roleRef,
        namespace: namespace.nullable().optional(),
      }),
    },
    responses: [{ status: 201, description: "The binding.", schema: binding }],
    input: paramsAndBody,
    output: created,
  }),
  operationRoute(bindingOperations.delete, {
    method: "DELETE",
    path: "/bindings/{bindingId}",
    tag: "Access",
    summary: "Remove a binding (409 for the tenant's last Admin).",
    responses: gone,
    output: done,
  }),
  // ------------------------------------------------------------------------------------ service accounts and tokens
  operationRoute(serviceAccountOperations.list, {
    method: "GET",
    path: "/service-accounts",
    tag: "Service accounts",
    summary: "Service accounts.",
    responses: ok("The service accounts."),
  }),
  operationRoute(serviceAccountOperations.create, {
    method: "POST",
    path: "/service-accounts",
    tag: "Service accounts",
    summary: "Create a service account: { name, description? }. Bind roles to it, then give it a token.",
    body: {
      kind: "json",
      schema: z.object({ name: serviceAccountName, description: z.string().max(1000).optional() }),
    },
    responses: [{ status: 201, description: "The service account." }],
    input: paramsAndBody,
    output: created,
  }),
  operationRoute(serviceAccountOperations.delete, {
    method: "DELETE",
    path: "/service-accounts/{serviceAccountId}",
    tag: "Service accounts",
    summary: "Delete a service account with its tokens and bindings.",
    responses: gone,
    output: done,
  }),
  operationRoute(serviceAccountOperations.createToken, {
    method: "POST",
    path: "/service-accounts/{serviceAccountId}/api-tokens",
    tag: "Service accounts",
    summary:
      "Create an API token for a service account: { name, expiresAt? }. The token is in the answer, once.",
    body: { kind: "json", schema: tokenRequest },
    responses: [{ status: 201, description: "The token.", schema: createdToken }],
    input: paramsAndBody,
    output: created,
  }),
  operationRoute(tokenOperations.list, {
    method: "GET",
    path: "/api-tokens",
    tag: "API tokens",
    summary:
      "Your API tokens here; with all=true (APITOKEN:READ) every token of the tenant. Never the tokens themselves.",
    responses: ok("The tokens.", z.array(apiToken)),
  }),
  operationRoute(tokenOperations.create, {
    method: "POST",
    path: "/api-tokens",
    tag: "API tokens",
    summary: "Create an API token for yourself: { name, expiresAt? }. The token is in the answer, once.",
    body: { kind: "json", schema: tokenRequest },
    responses: [{ status: 201, description: "The token.", schema: createdToken }],
    input: paramsAndBody,
    output: created,
  }),
  operationRoute(tokenOperations.revoke, {
    method: "DELETE",
    path: "/api-tokens/{tokenId}",
    tag: "API tokens",
    summary: "Revoke a token (your own, or anyone's with APITOKEN:DELETE).",
    responses: ok("The revoked token.", apiToken),
  }),
  // ------------------------------------------------------------------------------------ settings and audit
  operationRoute(settingOperations.get, {
    method: "GET",
    path: "/settings",
    tag: "Settings",
    summary: "The tenant's name and settings.",
    responses: ok("The settings."),
  }),
  operationRoute(settingOperations.update, {
    method: "PUT",
    path: "/settings",
    tag: "Settings",
    summary: "Change the tenant's name or settings: { name?, settings? }.",
    body: {
      kind: "json",
      schema: z.object({
        name: z.string().trim().min(1).max(100).optional(),
        settings: z.record(z.string(), z.unknown()).optional(),
      }),
    },
    responses: ok("The settings."),
    input: paramsAndBody,
  }),
  operationRoute(auditOperations.search, {
    method: "GET",
    path: "/auditlogs/search",
    tag: "Audit log",
    summary: "The audit log, newest first, with filters.",
    responses: ok("A page of entries."),
  }),
];
