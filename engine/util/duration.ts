/**
 * ISO-8601 durations as Kestra (java.time.Duration) reads them: `PT1S`, `PT0.250S`, `P1DT2H`, `-PT5M`.
 * Weeks are accepted too (`P1W`); years and months are refused because their length is not fixed,
 * exactly as Java's Duration.parse refuses them.
 */
const PATTERN =
  /^([-+]?)P(?:([-+]?\d+(?:[.,]\d+)?)W)?(?:([-+]?\d+(?:[.,]\d+)?)D)?(?:T(?:([-+]?\d+(?:[.,]\d+)?)H)?(?:([-+]?\d+(?:[.,]\d+)?)M)?(?:([-+]?\d+(?:[.,]\d{0,9})?)S)?)?$/i;

const UNIT_MS = [7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000] as const;

/** Parses an ISO-8601 duration into milliseconds, or returns undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = PATTERN.exec(text.trim());
  if (!match) return undefined;
  const parts = match.slice(2);
  if (parts.every((p) => p === undefined)) return undefined;
  if (/T$/i.test(text.trim())) return undefined;
  let total = 0;
  parts.forEach((part, i) => {
    if (part !== undefined) total += Number(part.replace(",", ".")) * (UNIT_MS[i] ?? 0);
  });
  const ms = Math.round(total);
  return match[1] === "-" ? -ms : ms;
}

/** Like parseDuration, but throws a message that says what a valid duration looks like. */
export function requireDuration(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) {
    throw new Error(`'${text}' is not an ISO-8601 duration (examples: PT30S, PT1H30M, P1D)`);
  }
  return ms;
}

/** Formats milliseconds as an ISO-8601 duration (`PT1.5S`, `PT2H`), the form Kestra prints. */
export function formatDuration(ms: number): string {
  if (ms === 0) return "PT0S";
  const sign = ms < 0 ? "-" : "";
  let rest = Math.abs(ms);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = rest / 1000;
  let out = `${sign}PT`;
  if (hours) out += `${hours}H`;
  if (minutes) out += `${minutes}M`;
  if (seconds) out += `${Number(seconds.toFixed(3))}S`;
  return out;
}
