import type { Input } from "../../flow/inputs-schema";
import type { FlowableContext } from "../flowable";
import { resolveInputValues } from "../inputs";
import { ExecutionOperationError } from "../step-context";

/**
 * The values of the inputs a paused run asks for when it goes on (a Pause's `onResume`, an Approval's review
 * `inputs`), validated and rendered as flow inputs are, in the run's context. Refuses the operation, naming
 * each input that does not hold, rather than going on without them.
 */
export async function pausedInputValues<P>(
  ctx: FlowableContext<P>,
  declared: readonly Input[],
  provided: Record<string, unknown>,
  what: "resume" | "review",
): Promise<Record<string, unknown>> {
  const variables = ctx.step.variables(ctx.task, ctx.run);
  const result = await resolveInputValues(declared, provided, (template, values) =>
    ctx.step.renderWith({ ...variables, inputs: values }, template),
  );
  if (result.errors.length > 0)
    throw new ExecutionOperationError(
      `invalid ${what} inputs: ${result.errors.map((e) => `${e.input}: ${e.message}`).join("; ")}`,
      "INVALID_INPUT",
    );
  return result.values;
}
