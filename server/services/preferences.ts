// A person's own settings, the same in every tenant: theme, time zone and date format (read by formatDate
// in app/_lib/format-date.ts), editor font size, the namespace new flows start in and the tab an execution
// opens on. Stored as one JSON column on the user (users.preferences); a stored value that no longer
// validates (an option removed since) reads as its default, so an old row never breaks a page.
import type { PrismaClient } from "../db/client";
import { type Preferences, preferencesSchema, readPreferences } from "./preferences-schema";

export * from "./preferences-schema";

export async function getPreferences(db: PrismaClient, userId: string): Promise<Preferences> {
  const row = await db.user.findUnique({ where: { id: userId }, select: { preferences: true } });
  return readPreferences(row?.preferences);
}

/** Changes some preferences (validated: a bad value is refused, nothing half-written). */
export async function updatePreferences(
  db: PrismaClient,
  userId: string,
  change: Partial<Preferences>,
): Promise<Preferences> {
  const valid = preferencesSchema.partial().strict().parse(change);
  return db.$transaction(async (tx) => {
    const row = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { preferences: true } });
    const next = { ...readPreferences(row.preferences), ...valid };
    await tx.user.update({ where: { id: userId }, data: { preferences: next } });
    return next;
  });
}
