// Kestra's flow `checks` (1.2; `condition` renamed `when` in 2.0): assertions on an execution's inputs,
// decided when it is created. Kestra keeps a check only when its expression renders to the boolean true,
// and a check whose expression fails to render counts as failed (FlowService.getFailedChecks). Of several
// failed checks the strictest behaviour wins: BLOCK_EXECUTION, then FAIL_EXECUTION, then CREATE_EXECUTION.
import { type RenderOptions, renderTypedAsync } from "../expr";
import type { FlowCheck } from "../flow/model";

export interface FailedCheck {
  message: string;
  style: FlowCheck["style"];
  behavior: FlowCheck["behavior"];
  /** Set when the expression itself failed to render. */
  error?: string;
}

export type CheckBehavior = FlowCheck["behavior"];

const STRICTNESS: CheckBehavior[] = ["BLOCK_EXECUTION", "FAIL_EXECUTION", "CREATE_EXECUTION"];

/** The checks that do not hold with these variables (the execution's, with its typed inputs). */
export async function failedChecks(
  checks: readonly FlowCheck[],
  variables: Record<string, unknown>,
  options: RenderOptions,
): Promise<FailedCheck[]> {
  const failed: FailedCheck[] = [];
  for (const check of checks) {
    const base = { message: check.message, style: check.style, behavior: check.behavior };
    try {
      const value = await renderTypedAsync(check.when, variables, options);
      // Kestra: Boolean.TRUE.equals(renderTyped(...)); the string "true" is what a template like
      // "{{ a }} and more" can never be, but a plain `when: "true"` renders to — accepted as true here.
      if (value !== true && value !== "true") failed.push(base);
    } catch (error) {
      failed.push({ ...base, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return failed;
}

/** What happens to the execution: the strictest behaviour among the failed checks, or undefined if none. */
export function checkBehavior(failed: readonly FailedCheck[]): CheckBehavior | undefined {
  return STRICTNESS.find((behavior) => failed.some((check) => check.behavior === behavior));
}

/** A BLOCK_EXECUTION check does not hold: no execution is created. */
export class ChecksBlockedError extends Error {
  constructor(readonly failed: FailedCheck[]) {
    super(
      `Flow execution blocked: one or more checks do not hold. Failed checks: ${failed.map((c) => c.message).join(", ")}`,
    );
    this.name = "ChecksBlockedError";
  }
}
