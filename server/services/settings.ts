// The tenant's settings: its display name and free-form settings (SETTING permission). Settings the
// engine reads are validated here: `namespaceIsolation` ("strict", the default, or "open": no
// namespace boundaries; see worker/namespace-access.ts).
import { NAMESPACE_ISOLATIONS } from "@/worker/namespace-access";
import { BadRequestError } from "./errors";
import { audit, type ServiceScope } from "./scope";

export interface TenantSettingsJson {
  id: string;
  slug: string;
  name: string;
  settings: Record<string, unknown>;
}

const json = (row: { id: string; slug: string; name: string; settings: unknown }): TenantSettingsJson => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  settings: (row.settings ?? {}) as Record<string, unknown>,
});

export async function getSettings(scope: ServiceScope): Promise<TenantSettingsJson> {
  return json(await scope.record.get());
}

export async function updateSettings(
  scope: ServiceScope,
  request: { name?: string; settings?: Record<string, unknown> },
): Promise<TenantSettingsJson> {
  const isolation = request.settings?.namespaceIsolation;
  if (isolation !== undefined && !NAMESPACE_ISOLATIONS.includes(isolation as never)) {
    throw new BadRequestError(
      `settings.namespaceIsolation must be one of ${NAMESPACE_ISOLATIONS.map((i) => `"${i}"`).join(", ")}.`,
    );
  }
  const before = json(await scope.record.get());
  const after = json(
    await scope.record.update({
      ...(request.name !== undefined ? { name: request.name } : {}),
      ...(request.settings !== undefined ? { settings: request.settings } : {}),
    }),
  );
  await audit(scope, {
    action: "UPDATE",
    resourceType: "SETTING",
    resourceId: scope.tenant.id,
    before,
    after,
  });
  return after;
}
