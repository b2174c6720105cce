import { parseDuration } from "@/engine/util/duration";

/** `60s`, `5m`, `1h`, `500ms`, a number of seconds, or an ISO-8601 duration (`PT1M`), in milliseconds. */
export function parseCliDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (m) {
    const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s").toLowerCase() as "s"];
    return Number(m[1]) * factor;
  }
  return parseDuration(text);
}
