// A person's own settings, the same in every tenant: theme, time zone and date format (read by formatDate
// in app/_lib/format-date.ts), editor font size, the namespace new flows start in and the tab an execution
// opens on. Stored as one JSON column on the user (users.preferences); a stored value that no longer
// validates (an option removed since) reads as its default, so an old row never breaks a page.
// Runtime imports: zod only, so client components can import the option lists.
import { z } from "zod";
import type { PrismaClient } from "../db/client";
import { namespace } from "./schemas";

export const THEMES = ["system", "light", "dark"] as const;
/** How dates are shown; formatDate in app/_lib/format-date.ts implements each. */
export const DATE_FORMATS = ["iso", "locale", "european", "us", "relative"] as const;
export const EXECUTION_TABS = ["overview", "gantt", "topology", "logs", "outputs"] as const;

export type Theme = (typeof THEMES)[number];
export type DateFormat = (typeof DATE_FORMATS)[number];
export type ExecutionTab = (typeof EXECUTION_TABS)[number];

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const timeZone = z
  .string()
  .max(64)
  .refine((value) => value === "browser" || isTimeZone(value), {
    error: "an IANA time zone, like Europe/Paris",
  });

export const preferencesSchema = z.object({
  theme: z.enum(THEMES),
  /** "browser": the browser's own zone. */
  timeZone,
  dateFormat: z.enum(DATE_FORMATS),
  editorFontSize: z.number().int().min(10).max(24),
  defaultNamespace: namespace.nullable(),
  defaultExecutionTab: z.enum(EXECUTION_TABS),
});

export type Preferences = z.infer<typeof preferencesSchema>;

export const DEFAULT_PREFERENCES: Preferences = {
  theme: "system",
  timeZone: "browser",
  dateFormat: "iso",
  editorFontSize: 14,
  defaultNamespace: null,
  defaultExecutionTab: "overview",
};

/** The stored JSON as preferences: each valid key kept, every other one at its default. */
export function readPreferences(stored: unknown): Preferences {
  const out: Record<string, unknown> = { ...DEFAULT_PREFERENCES };
  if (stored && typeof stored === "object" && !Array.isArray(stored)) {
    const shape = preferencesSchema.shape as Record<string, z.ZodType>;
    for (const [key, value] of Object.entries(stored)) {
      const schema = shape[key];
      if (schema?.safeParse(value).success) out[key] = value;
    }
  }
  return out as Preferences;
}

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
