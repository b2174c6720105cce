import type { Execution } from "@/engine/executor";
import type { LogEntry } from "../logs";

/** Replaces every secret value found in a text by `******`. */
export type Masker = (text: string) => string;

export const MASK = "******";

/** A masker for a set of secret values (longest first, so a secret containing another is masked whole). */
export function maskerFor(secrets: Iterable<string>): Masker | undefined {
  const values = [...new Set([...secrets].filter((s) => s.length >= 3))].sort((a, b) => b.length - a.length);
  if (values.length === 0) return undefined;
  return (text) => {
    let out = text;
    for (const value of values) if (out.includes(value)) out = out.split(value).join(MASK);
    return out;
  };
}

function maskValue(value: unknown, mask: Masker): unknown {
  if (typeof value === "string") return mask(value);
  if (Array.isArray(value)) return value.map((item) => maskValue(item, mask));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskValue(v, mask)]),
    );
  }
  return value;
}

/** The execution with secret values masked wherever tasks could have put them: outputs and errors. */
export function maskExecution(execution: Execution, mask: Masker | undefined): Execution {
  if (!mask) return execution;
  return {
    ...execution,
    ...(execution.outputs ? { outputs: maskValue(execution.outputs, mask) as Record<string, unknown> } : {}),
    taskRunList: execution.taskRunList.map((run) => ({
      ...run,
      outputs: run.outputs ? (maskValue(run.outputs, mask) as Record<string, unknown>) : run.outputs,
      attempts: run.attempts.map((attempt) =>
        attempt.error ? { ...attempt, error: { message: mask(attempt.error.message) } } : attempt,
      ),
    })),
  };
}

export function maskLogs(entries: readonly LogEntry[], mask: Masker | undefined): readonly LogEntry[] {
  return mask ? entries.map((entry) => ({ ...entry, message: mask(entry.message) })) : entries;
}
