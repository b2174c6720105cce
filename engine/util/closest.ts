/** Edit distance, for "did you mean" suggestions. Small inputs only (type names, ids). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + cost);
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

/**
 * The candidates closest to `input`, best first. Compares case-insensitively and also against the last
 * dot-separated segment, so `io.kestra.core.Logg` still finds `core.log.Log`.
 */
export function closest(input: string, candidates: Iterable<string>, limit = 3): string[] {
  const needle = input.toLowerCase();
  const needleTail = needle.slice(needle.lastIndexOf(".") + 1);
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const tail = lower.slice(lower.lastIndexOf(".") + 1);
    const score = Math.min(editDistance(needle, lower), editDistance(needleTail, tail) + 0.5);
    const threshold = Math.max(2, Math.ceil(Math.max(needleTail.length, tail.length) / 3));
    // A prefix of at least three letters counts too: INTEGER -> INT, Paral -> Parallel.
    const prefix =
      Math.min(needleTail.length, tail.length) >= 3 &&
      (tail.startsWith(needleTail) || needleTail.startsWith(tail));
    if (score <= threshold || prefix)
      scored.push({ candidate, score: prefix ? Math.min(score, threshold) : score });
  }
  scored.sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate));
  return [...new Set(scored.map((s) => s.candidate))].slice(0, limit);
}
