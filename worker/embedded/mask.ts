import type { Execution } from "@/engine/executor";
import type { LogEntry } from "../logs";

/** Replaces every secret value found in a text by `******`. */
export type Masker = (text: string) => string;

export const MASK = "******";

/** Thrown when the secrets to mask cannot be loaded: the write it guards must not happen (fail closed). */
export class MaskUnavailableError extends Error {
  constructor(cause: unknown) {
    super(
      `secret masking is unavailable (${(cause as Error)?.message ?? String(cause)}): nothing was written, so no secret is stored in clear`,
      // Kept so that a database outage behind it is recognised as one (503, not 500).
      { cause },
    );
    this.name = "MaskUnavailableError";
  }
}

/**
 * The forms a secret value commonly takes once a flow encodes it: itself, base64 (standard and
 * URL-safe, with and without padding), URL-encoded (`%20` and `+` for spaces) and JSON-escaped.
 */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const base64 = bytes.toString("base64");
  const base64url = bytes.toString("base64url");
  const uri = encodeURIComponent(secret);
  return [
    secret,
    base64,
    base64.replace(/=+$/, ""),
    base64url,
    uri,
    uri.replace(/%20/g, "+"),
    JSON.stringify(secret).slice(1, -1),
  ];
}

/** A masker for a set of secret values and their encodings (longest first, so a secret containing another is masked whole). */
export function maskerFor(secrets: Iterable<string>): Masker | undefined {
  const values = [...new Set([...secrets].filter((s) => s.length >= 3).flatMap(secretForms))]
    .filter((s) => s.length >= 3)
    .sort((a, b) => b.length - a.length);
  if (values.length === 0) return undefined;
  return (text) => {
    let out = text;
    for (const value of values) if (out.includes(value)) out = out.split(value).join(MASK);
    return out;
  };
}

/** A copy of a JSON-like value with every string (map keys included) masked. */
export function maskValue(value: unknown, mask: Masker): unknown {
  if (typeof value === "string") return mask(value);
  if (Array.isArray(value)) return value.map((item) => maskValue(item, mask));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [mask(k), maskValue(v, mask)]),
    );
  }
  return value;
}

const maskRecord = (value: Record<string, unknown>, mask: Masker) =>
  maskValue(value, mask) as Record<string, unknown>;

/**
 * The execution with secret values masked wherever a flow can put a rendered value: labels,
 * variables (SetVariables), outputs, task-run values and ForEach values, errors, and the trigger's
 * variables. Inputs are left alone: SECRET inputs are sealed (server/secrets), and masking the
 * others would change what the flow was started with.
 */
export function maskExecution(execution: Execution, mask: Masker | undefined): Execution {
  if (!mask) return execution;
  return {
    ...execution,
    labels: execution.labels.map((label) => ({ ...label, key: mask(label.key), value: mask(label.value) })),
    ...(execution.variables ? { variables: maskRecord(execution.variables, mask) } : {}),
    ...(execution.outputs ? { outputs: maskRecord(execution.outputs, mask) } : {}),
    ...(execution.trigger?.variables
      ? { trigger: { ...execution.trigger, variables: maskRecord(execution.trigger.variables, mask) } }
      : {}),
    ...(execution.internal?.errors
      ? { internal: { ...execution.internal, errors: execution.internal.errors.map(mask) } }
      : {}),
    taskRunList: execution.taskRunList.map((run) => ({
      ...run,
      ...(typeof run.value === "string" ? { value: mask(run.value) } : {}),
      outputs: run.outputs ? maskRecord(run.outputs, mask) : run.outputs,
      // ForEach keeps the values it iterates over here.
      ...(run.internal && "values" in run.internal
        ? { internal: { ...run.internal, values: maskValue(run.internal.values, mask) } }
        : {}),
      attempts: run.attempts.map((attempt) =>
        attempt.error ? { ...attempt, error: { message: mask(attempt.error.message) } } : attempt,
      ),
    })),
  };
}

export function maskLogs(entries: readonly LogEntry[], mask: Masker | undefined): readonly LogEntry[] {
  return mask ? entries.map((entry) => ({ ...entry, message: mask(entry.message) })) : entries;
}
