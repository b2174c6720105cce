/** Number and instant formatting the way Java prints them (Pebble output, JSON, concatenation). */

/** Java's Double.toString for the usual magnitudes: 0.5, 1.0E-5, 1.2345678E7, 2.0. */
export function javaDouble(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(n);
    return s.includes(".") ? s : `${s}.0`;
  }
  const [mantissa = "0", exponent = "0"] = n.toExponential().split("e");
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

const LONG_LIMIT = 2 ** 63;

/** A JavaScript number printed the way Java prints the Long or Double it stands for. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < LONG_LIMIT) {
    return Math.abs(n) < 1e21 ? String(n === 0 ? 0 : n) : BigInt(n).toString();
  }
  return javaDouble(n);
}

/** Java's Instant.toString: seconds always, fraction only when non-zero (3, 6 or 9 digits). */
export function formatInstant(d: Date): string {
  const t = d.getTime();
  if (Number.isNaN(t)) return "Invalid Date";
  const iso = d.toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}
