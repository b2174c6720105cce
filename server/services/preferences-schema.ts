// A person's own settings (see preferences.ts): the options, their schema and defaults. Imports zod only,
// so that client components (the settings form, the preferences provider) can import it.
import { z } from "zod";

/** engine/flow's NAMESPACE, repeated: importing the engine here would pull it into the browser bundle. */
const namespace = z
  .string()
  .max(150)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "a namespace: lower-case letters, digits, dots, _ and -");

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
