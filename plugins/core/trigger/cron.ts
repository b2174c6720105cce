import { Cron } from "croner";

const NICKNAMES = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);

/** Checks a cron expression as Kestra reads it: 5 fields, 6 with `withSeconds`, or a nickname. */
export function cronProblem(cron: string, withSeconds: boolean): string | undefined {
  const text = cron.trim();
  if (NICKNAMES.has(text.toLowerCase())) return undefined;
  if (text.startsWith("@"))
    return `unknown cron nickname '${text}' (use @yearly, @monthly, @weekly, @daily or @hourly)`;
  const fields = text.split(/\s+/).length;
  const expected = withSeconds ? 6 : 5;
  if (fields !== expected) {
    return withSeconds
      ? `cron '${text}' has ${fields} fields; with withSeconds it needs 6 (second minute hour day month weekday)`
      : `cron '${text}' has ${fields} fields; it needs 5 (minute hour day month weekday), or set withSeconds: true for 6`;
  }
  try {
    new Cron(text, { paused: true });
    return undefined;
  } catch (error) {
    return `invalid cron '${text}': ${(error as Error).message.replace(/^CronPattern: /, "")}`;
  }
}

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
