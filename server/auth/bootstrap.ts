// Making the first administrator, outside the web app: `cadenza admin bootstrap` (idempotent), `cadenza
// token create`, and the one-time invitation link `cadenza start` prints while a standalone installation
// has no administrator.
import { auditRecord } from "../audit/audit";
import type { PrismaClient } from "../db/client";
import { CadenzaError } from "../errors";
import { EMAIL, TENANT_SLUG } from "../services/account";
import { normaliseEmail } from "./credentials";
import { hashPassword, passwordProblem } from "./passwords";
import { generateToken, hashToken, randomSecret } from "./tokens";

const SYSTEM = { type: "SYSTEM" as const, name: "cadenza CLI" };

export interface BootstrapResult {
  tenantId: string;
  userId: string;
  tenantCreated: boolean;
  userCreated: boolean;
  adminGranted: boolean;
}

/**
 * Creates the tenant if missing, the user if missing (with this password; an existing user keeps theirs
 * unless `resetPassword`), and makes the user a tenant-wide Admin. Running it twice changes nothing.
 */
export async function bootstrapAdmin(
  db: PrismaClient,
  request: { tenantSlug: string; email: string; password?: string; resetPassword?: boolean },
): Promise<BootstrapResult> {
  const email = normaliseEmail(request.email);
  if (!TENANT_SLUG.test(request.tenantSlug))
    throw new CadenzaError(
      `--tenant '${request.tenantSlug}': a slug is lower-case letters, digits and dashes.`,
      { exitCode: 2 },
    );
  if (!EMAIL.test(email))
    throw new CadenzaError(`--email '${request.email}' is not an email address.`, { exitCode: 2 });
  if (request.password !== undefined) {
    const problem = passwordProblem(request.password);
    if (problem) throw new CadenzaError(`--password: ${problem}`, { exitCode: 2 });
  }
  const passwordHash = request.password !== undefined ? await hashPassword(request.password) : undefined;
  return db.$transaction(async (tx) => {
    let tenant = await tx.tenant.findUnique({ where: { slug: request.tenantSlug } });
    const tenantCreated = !tenant;
    tenant ??= await tx.tenant.create({ data: { slug: request.tenantSlug, name: request.tenantSlug } });
    let user = await tx.user.findUnique({ where: { email } });
    const userCreated = !user;
    if (!user) {
      if (!passwordHash)
        throw new CadenzaError("--password is needed to create a new user.", { exitCode: 2 });
      user = await tx.user.create({ data: { email, passwordHash } });
    } else if (passwordHash && (request.resetPassword || !user.passwordHash)) {
      // A new password ends every session opened with the old one.
      await tx.user.update({
        where: { id: user.id },
        data: { passwordHash, sessionVersion: { increment: 1 } },
      });
    }
    await tx.membership.upsert({
      where: { tenantId_userId: { tenantId: tenant.id, userId: user.id } },
      create: { tenantId: tenant.id, userId: user.id },
      update: {},
    });
    const existing = await tx.binding.findFirst({
      where: { tenantId: tenant.id, userId: user.id, builtInRole: "Admin", namespace: null },
    });
    if (!existing) {
      await tx.binding.create({
        data: { tenantId: tenant.id, subjectType: "USER", userId: user.id, builtInRole: "Admin" },
      });
      await tx.auditLog.create({
        data: auditRecord(tenant.id, SYSTEM, {
          action: "CREATE",
          resourceType: "BINDING",
          resourceId: user.id,
          after: { user: email, role: "Admin", via: "cadenza admin bootstrap" },
        }),
      });
    }
    return { tenantId: tenant.id, userId: user.id, tenantCreated, userCreated, adminGranted: !existing };
  });
}

/** An API token of a member of a tenant (`cadenza token create`). */
export async function createUserToken(
  db: PrismaClient,
  request: { tenantSlug: string; email: string; name: string; expiresInMs?: number },
): Promise<{ token: string; id: string; expiresAt: Date | null }> {
  const email = normaliseEmail(request.email);
  const tenant = await db.tenant.findUnique({ where: { slug: request.tenantSlug } });
  const user = await db.user.findUnique({ where: { email } });
  const member =
    tenant && user
      ? await db.membership.findUnique({
          where: { tenantId_userId: { tenantId: tenant.id, userId: user.id } },
        })
      : null;
  if (!tenant || !user || !member)
    throw new CadenzaError(
      `${email} is not a member of tenant '${request.tenantSlug}' (see cadenza admin bootstrap).`,
    );
  const generated = generateToken();
  const expiresAt = request.expiresInMs !== undefined ? new Date(Date.now() + request.expiresInMs) : null;
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        tenantId: tenant.id,
        userId: user.id,
        name: request.name,
        prefix: generated.prefix,
        hash: generated.hash,
        expiresAt,
      },
    });
    await tx.auditLog.create({
      data: auditRecord(tenant.id, SYSTEM, {
        action: "CREATE",
        resourceType: "APITOKEN",
        resourceId: created.id,
        after: {
          name: request.name,
          prefix: generated.prefix,
          owner: email,
          expiresAt: expiresAt?.toISOString() ?? null,
        },
      }),
    });
    return created;
  });
  return { token: generated.token, id: row.id, expiresAt };
}

/** How long the first-admin link printed by `cadenza start` works. */
export const FIRST_ADMIN_LINK_MS = 24 * 3_600_000;

/**
 * While the tenant has no tenant-wide Admin, a fresh one-time invitation (Admin of the tenant, no email
 * restriction) replacing earlier ones; its token, to print as `/invite/<token>`. Undefined once an Admin exists.
 */
export async function firstAdminInvitation(
  db: PrismaClient,
  tenantId: string,
  now = new Date(),
): Promise<string | undefined> {
  const admins = await db.binding.count({ where: { tenantId, builtInRole: "Admin", namespace: null } });
  if (admins > 0) return undefined;
  const token = randomSecret();
  await db.$transaction(async (tx) => {
    await tx.invitation.updateMany({
      where: { tenantId, bootstrap: true, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    await tx.invitation.create({
      data: {
        tenantId,
        builtInRole: "Admin",
        tokenHash: hashToken(token),
        bootstrap: true,
        expiresAt: new Date(now.getTime() + FIRST_ADMIN_LINK_MS),
      },
    });
  });
  return token;
}
