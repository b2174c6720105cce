/**
 * A task's or trigger's own properties as written, split into those to render and those the plugin renders
 * itself (`rawProperties`); the common ones (id, retry, conditions...) are left out.
 */
export function splitProperties(
  definition: Record<string, unknown>,
  commonKeys: ReadonlySet<string>,
  rawProperties: readonly string[] = [],
): { toRender: Record<string, unknown>; kept: Record<string, unknown> } {
  const raw = new Set(rawProperties);
  const toRender: Record<string, unknown> = {};
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(definition)) {
    if (commonKeys.has(key)) continue;
    if (raw.has(key)) kept[key] = value;
    else toRender[key] = value;
  }
  return { toRender, kept };
}

/** zod issues as one line: `path: message; ...`. */
export function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`).join("; ");
}
