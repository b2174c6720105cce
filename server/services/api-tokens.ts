// API tokens of users and service accounts, valid in one tenant. Everyone may create and revoke their own
// tokens from a signed-in session; creating one with a token, making one for a service account, and
// seeing or revoking other people's tokens need APITOKEN rights. The token is returned once.

import { can } from "../access/authorize";
import type { TenantDb } from "../access/tenant-db";
import { generateToken } from "../auth/tokens";
import { ForbiddenError, NotFoundError, UnprocessableError } from "./errors";
import { audit, check, type ServiceScope } from "./scope";

export interface ApiTokenJson {
  id: string;
  name: string;
  /** `cdz_` and the next 8 characters: enough to recognise it, useless to use it. */
  prefix: string;
  owner: { type: "USER" | "SERVICE_ACCOUNT"; id: string; name: string };
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  created: string;
}

export interface CreatedToken extends ApiTokenJson {
  /** The token itself, shown this once. */
  token: string;
}

/** At most ten years; tokens without an expiry are allowed but discouraged in the UI. */
const MAX_LIFETIME_MS = 10 * 365 * 86_400_000;

const include = { user: { select: { email: true } }, serviceAccount: { select: { name: true } } } as const;

function json(row: {
  id: string;
  name: string;
  prefix: string;
  userId: string | null;
  serviceAccountId: string | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  user: { email: string } | null;
  serviceAccount: { name: string } | null;
}): ApiTokenJson {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    owner: row.userId
      ? { type: "USER", id: row.userId, name: row.user?.email ?? "?" }
      : {
          type: "SERVICE_ACCOUNT",
          id: row.serviceAccountId as string,
          name: row.serviceAccount?.name ?? "?",
        },
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    created: row.createdAt.toISOString(),
  };
}

/** Own tokens; with APITOKEN:READ and `all`, every token of the tenant. */
export async function listTokens(
  scope: ServiceScope,
  query: { all?: boolean } = {},
): Promise<ApiTokenJson[]> {
  if (query.all) check(scope, "APITOKEN", "READ");
  const own =
    scope.principal.kind === "user"
      ? { userId: scope.principal.id }
      : { serviceAccountId: scope.principal.id };
  const rows = await scope.db.apiToken.findMany({
    where: query.all ? {} : own,
    include,
    orderBy: { createdAt: "desc" },
  });
  return rows.map(json);
}

function expiry(scope: ServiceScope, expiresAt: Date | null | undefined): Date | null {
  if (!expiresAt) return null;
  const now = scope.now().getTime();
  if (expiresAt.getTime() <= now) throw new UnprocessableError("The expiry date must be in the future.");
  if (expiresAt.getTime() - now > MAX_LIFETIME_MS)
    throw new UnprocessableError("Tokens may live at most ten years.");
  return expiresAt;
}

async function insert(
  scope: ServiceScope,
  db: TenantDb,
  owner: { userId: string } | { serviceAccountId: string },
  request: { name: string; expiresAt?: Date | null },
): Promise<CreatedToken> {
  const expiresAt = expiry(scope, request.expiresAt);
  const generated = generateToken();
  return db.$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        tenantId: scope.tenant.id,
        ...owner,
        name: request.name,
        prefix: generated.prefix,
        hash: generated.hash,
        expiresAt,
      },
      include,
    });
    const info = json(row);
    await audit(scope, { action: "CREATE", resourceType: "APITOKEN", resourceId: row.id, after: info }, tx);
    return { ...info, token: generated.token };
  });
}

/** A token for the calling user, in this tenant. */
export async function createOwnToken(
  scope: ServiceScope,
  request: { name: string; expiresAt?: Date | null },
): Promise<CreatedToken> {
  if (scope.principal.kind !== "user")
    throw new ForbiddenError(
      "Service accounts get their tokens from an administrator (POST /service-accounts/{id}/api-tokens).",
    );
  // A token may not mint tokens (which could outlive it) unless it may manage tokens anyway.
  if (
    scope.principal.via === "token" &&
    !can(scope.principal, "APITOKEN", "CREATE", { tenant: scope.tenant })
  )
    throw new ForbiddenError("Create API tokens from a signed-in session (or with APITOKEN:CREATE).");
  return insert(scope, scope.db, { userId: scope.principal.id }, request);
}

export async function createServiceAccountToken(
  scope: ServiceScope,
  serviceAccountId: string,
  request: { name: string; expiresAt?: Date | null },
): Promise<CreatedToken> {
  const account = await scope.db.serviceAccount.findUnique({ where: { id: serviceAccountId } });
  if (!account) throw new NotFoundError(`Service account ${serviceAccountId} not found.`);
  return insert(scope, scope.db, { serviceAccountId }, request);
}

/** Revokes a token: one's own always, anyone's with APITOKEN:DELETE. */
export async function revokeToken(scope: ServiceScope, tokenId: string): Promise<ApiTokenJson> {
  const row = await scope.db.apiToken.findUnique({ where: { id: tokenId }, include });
  if (!row) throw new NotFoundError(`API token ${tokenId} not found.`);
  const own = row.userId === scope.principal.id || row.serviceAccountId === scope.principal.id;
  if (!own) check(scope, "APITOKEN", "DELETE");
  if (row.revokedAt) return json(row);
  return scope.db.$transaction(async (tx) => {
    const revoked = await tx.apiToken.update({
      where: { id: tokenId },
      data: { revokedAt: scope.now() },
      include,
    });
    await audit(
      scope,
      {
        action: "DELETE",
        resourceType: "APITOKEN",
        resourceId: tokenId,
        before: json(row),
        after: json(revoked),
      },
      tx,
    );
    return json(revoked);
  });
}
