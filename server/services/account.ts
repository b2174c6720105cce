// What a signed-in person does outside any one tenant: list their tenants, create one, accept an
// invitation; and sign-up. These work on global rows (users, tenants), so they take the Prisma client
// itself — the only services that do — and each writes its tenant's audit entry explicitly.
import type { Principal, TenantRef } from "../access/authorize";
import { auditRecord } from "../audit/audit";
import { limitAddress } from "../auth/client-ip";
import { normaliseEmail } from "../auth/credentials";
import { hashPassword, passwordProblem } from "../auth/passwords";
import { hit } from "../auth/rate-limit";
import { hashToken, randomBase62 } from "../auth/tokens";
import type { PrismaClient } from "../db/client";
import { env } from "../env";
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnprocessableError,
} from "./errors";

export const TENANT_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const EMAIL = /^[^\s@]+@[^\s@]+$/;

type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export interface MyTenant extends TenantRef {
  roles: string[];
}

export async function myTenants(db: PrismaClient, principal: Principal): Promise<MyTenant[]> {
  if (principal.kind !== "user") {
    const account = await db.serviceAccount.findUnique({
      where: { id: principal.id },
      include: { tenant: true },
    });
    return account
      ? [{ id: account.tenant.id, slug: account.tenant.slug, name: account.tenant.name, roles: [] }]
      : [];
  }
  const memberships = await db.membership.findMany({
    where: {
      userId: principal.id,
      ...(principal.tokenTenantId ? { tenantId: principal.tokenTenantId } : {}),
    },
    include: { tenant: { select: { id: true, slug: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });
  const bindings = await db.binding.findMany({
    where: { userId: principal.id, tenantId: { in: memberships.map((m) => m.tenantId) } },
    select: { tenantId: true, builtInRole: true, namespace: true, role: { select: { name: true } } },
  });
  return memberships.map((m) => ({
    ...m.tenant,
    roles: bindings
      .filter((b) => b.tenantId === m.tenantId)
      .map((b) => `${b.builtInRole ?? b.role?.name}${b.namespace ? ` on ${b.namespace}` : ""}`),
  }));
}

async function insertTenant(
  tx: Tx,
  user: { id: string; email: string },
  slug: string,
  name: string,
  ip?: string,
) {
  if (!TENANT_SLUG.test(slug))
    throw new UnprocessableError(
      "A tenant's slug is 1 to 63 lower-case letters, digits and dashes, starting with a letter or digit.",
    );
  if (await tx.tenant.findUnique({ where: { slug } }))
    throw new ConflictError(`The tenant slug '${slug}' is taken.`);
  const tenant = await tx.tenant.create({
    data: { slug, name },
    select: { id: true, slug: true, name: true },
  });
  await tx.membership.create({ data: { tenantId: tenant.id, userId: user.id } });
  await tx.binding.create({
    data: { tenantId: tenant.id, subjectType: "USER", userId: user.id, builtInRole: "Admin" },
  });
  await tx.auditLog.create({
    data: auditRecord(
      tenant.id,
      { type: "USER", id: user.id, name: user.email, ...(ip ? { ip } : {}) },
      {
        action: "CREATE",
        resourceType: "TENANT",
        resourceId: tenant.id,
        after: { slug, name, admin: user.email },
      },
    ),
  });
  return tenant;
}

function requireSessionUser(principal: Principal): void {
  if (principal.kind !== "user" || principal.via !== "session")
    throw new ForbiddenError("Only a signed-in person can do this (API tokens belong to one tenant).");
}

/** A new tenant, with the caller as its Admin. */
export async function createTenant(
  db: PrismaClient,
  principal: Principal,
  request: { slug: string; name: string },
  ip?: string,
): Promise<TenantRef> {
  requireSessionUser(principal);
  return db.$transaction((tx) =>
    insertTenant(tx, { id: principal.id, email: principal.name }, request.slug, request.name, ip),
  );
}

export interface InvitationPreview {
  tenant: { slug: string; name: string };
  role: string;
  namespace: string | null;
  email: string | null;
  status: "pending" | "accepted" | "expired" | "revoked";
}

async function findInvitation(db: PrismaClient | Tx, token: string) {
  return db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { tenant: { select: { id: true, slug: true, name: true } }, role: { select: { name: true } } },
  });
}

/** What an invitation link offers, for the page that shows it (whoever holds the link may see this). */
export async function invitationPreview(
  db: PrismaClient,
  token: string,
  now = new Date(),
): Promise<InvitationPreview | undefined> {
  const row = await findInvitation(db, token);
  if (!row) return undefined;
  return {
    tenant: { slug: row.tenant.slug, name: row.tenant.name },
    role: row.builtInRole ?? row.role?.name ?? "?",
    namespace: row.namespace,
    email: row.email,
    status: row.revokedAt
      ? "revoked"
      : row.acceptedAt
        ? "accepted"
        : row.expiresAt <= now
          ? "expired"
          : "pending",
  };
}

async function accept(
  tx: Tx,
  user: { id: string; email: string },
  token: string,
  now: Date,
  ip?: string,
): Promise<TenantRef> {
  const row = await findInvitation(tx, token);
  if (!row || row.revokedAt) throw new NotFoundError("This invitation link is not valid.");
  if (row.acceptedAt) throw new ConflictError("This invitation was used already.");
  if (row.expiresAt <= now) throw new ConflictError("This invitation expired: ask for a new one.");
  if (row.email && row.email !== normaliseEmail(user.email))
    throw new ForbiddenError(`This invitation is for ${row.email}: sign in with that account to accept it.`);
  // One acceptance only, even when two arrive at once.
  const claimed = await tx.invitation.updateMany({
    where: { id: row.id, acceptedAt: null },
    data: { acceptedAt: now, acceptedBy: user.id },
  });
  if (claimed.count === 0) throw new ConflictError("This invitation was used already.");
  const tenantId = row.tenantId;
  await tx.membership.upsert({
    where: { tenantId_userId: { tenantId, userId: user.id } },
    create: { tenantId, userId: user.id },
    update: {},
  });
  const role = { builtInRole: row.builtInRole, roleId: row.roleId, namespace: row.namespace };
  if (!(await tx.binding.findFirst({ where: { tenantId, userId: user.id, ...role } })))
    await tx.binding.create({ data: { tenantId, subjectType: "USER", userId: user.id, ...role } });
  if (row.bootstrap) {
    // The first admin is in: the other links printed by earlier starts stop working.
    await tx.invitation.updateMany({
      where: { tenantId, bootstrap: true, acceptedAt: null },
      data: { revokedAt: now },
    });
  }
  await tx.auditLog.create({
    data: auditRecord(
      tenantId,
      { type: "USER", id: user.id, name: user.email, ...(ip ? { ip } : {}) },
      {
        action: "ACCEPT",
        resourceType: "INVITATION",
        resourceId: row.id,
        after: { user: user.email, role: row.builtInRole ?? row.role?.name, namespace: row.namespace },
      },
    ),
  });
  return row.tenant;
}

export async function acceptInvitation(
  db: PrismaClient,
  principal: Principal,
  token: string,
  ip?: string,
): Promise<TenantRef> {
  requireSessionUser(principal);
  return db.$transaction((tx) =>
    accept(tx, { id: principal.id, email: principal.name }, token, new Date(), ip),
  );
}

/** Sign-ups allowed per client address per hour. */
export const SIGN_UP_ADDRESS_LIMIT = 10;

/**
 * What a sign-up answers, whether or not the email already had an account: Cadenza sends no email, so the
 * only way not to tell is to answer the same and sign nobody in — the person then signs in with the email
 * and password they chose (which works for a new account, and for an existing one only with its password).
 */
export const SIGN_UP_DONE =
  "Sign-up done: sign in with your email and password. If this email already had an account, its password is unchanged.";

export type SignUpResult = { created: true; userId: string; tenant: TenantRef } | { created: false };

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "P2002";
}

/**
 * A new account: with an invitation token it joins that tenant; otherwise (when sign-up is open) it gets
 * a tenant of its own, of which it is the Admin. An email that has an account already changes nothing and
 * answers exactly as a new one (`created` is for the caller's tests and logs, never for the person): every
 * check whose answer could differ (the form, the invitation, the tenant slug) is made before the email is
 * looked up, and the password is hashed in both cases so the time taken is about the same.
 */
export async function signUp(
  db: PrismaClient,
  request: {
    email: string;
    password: string;
    name?: string;
    tenantSlug?: string;
    tenantName?: string;
    invitationToken?: string;
    ip?: string;
  },
): Promise<SignUpResult> {
  if (request.ip) {
    const window = await hit(db, `sign-up:ip:${limitAddress(request.ip)}`, 3_600_000);
    if (window.count > SIGN_UP_ADDRESS_LIMIT)
      throw new TooManyRequestsError(
        "Too many sign-ups from this address: try again later.",
        window.retryAfterSeconds,
      );
  }
  const email = normaliseEmail(request.email);
  if (!EMAIL.test(email) || email.length > 320) throw new UnprocessableError("Enter a valid email address.");
  const problem = passwordProblem(request.password);
  if (problem) throw new UnprocessableError(problem);
  if (!request.invitationToken && env.CADENZA_SIGNUP === "invite-only")
    throw new ForbiddenError(
      "Sign-up is by invitation only here: ask an administrator for an invitation link.",
    );
  const passwordHash = await hashPassword(request.password);
  const slug = request.invitationToken ? undefined : request.tenantSlug?.trim() || defaultSlug(email);
  try {
    return await db.$transaction(async (tx): Promise<SignUpResult> => {
      const now = new Date();
      // Answers that do not depend on the email having an account come first.
      if (request.invitationToken) await checkInvitation(tx, request.invitationToken, email, now);
      if (slug !== undefined) await checkTenantSlug(tx, slug);
      if (await tx.user.findUnique({ where: { email }, select: { id: true } })) return { created: false };
      const user = await tx.user.create({
        data: { email, name: request.name?.trim() || null, passwordHash },
      });
      if (request.invitationToken) {
        const tenant = await accept(tx, user, request.invitationToken, now, request.ip);
        return { created: true, userId: user.id, tenant };
      }
      const tenant = await insertTenant(
        tx,
        user,
        slug ?? defaultSlug(email),
        request.tenantName?.trim() || (slug ?? email),
        request.ip,
      );
      return { created: true, userId: user.id, tenant };
    });
  } catch (error) {
    // Two sign-ups for one new email at once: the second finds the first's account, as it would a minute later.
    if (isUniqueViolation(error) && (await db.user.findUnique({ where: { email }, select: { id: true } })))
      return { created: false };
    throw error;
  }
}

/** The invitation's own problems (invalid, used, expired, for another email), as accept() would find them. */
async function checkInvitation(tx: Tx, token: string, email: string, now: Date): Promise<void> {
  const row = await findInvitation(tx, token);
  if (!row || row.revokedAt) throw new NotFoundError("This invitation link is not valid.");
  if (row.acceptedAt) throw new ConflictError("This invitation was used already.");
  if (row.expiresAt <= now) throw new ConflictError("This invitation expired: ask for a new one.");
  if (row.email && row.email !== email)
    throw new ForbiddenError(`This invitation is for ${row.email}: sign in with that account to accept it.`);
}

async function checkTenantSlug(tx: Tx, slug: string): Promise<void> {
  if (!TENANT_SLUG.test(slug))
    throw new UnprocessableError(
      "A tenant's slug is 1 to 63 lower-case letters, digits and dashes, starting with a letter or digit.",
    );
  if (await tx.tenant.findUnique({ where: { slug }, select: { id: true } }))
    throw new ConflictError(`The tenant slug '${slug}' is taken.`);
}

/** `jane.doe@example.com` -> `jane-doe-x7k2`. */
export function defaultSlug(email: string): string {
  const local = (email.split("@")[0] ?? "team")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return `${local || "team"}-${randomBase62(4).toLowerCase()}`;
}
