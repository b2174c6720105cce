import { renderTreeAsync } from "../expr";
import type { Input } from "../flow/inputs-schema";
import type { Flow } from "../flow/model";
import { indexTasks } from "../flow/walk";
import { executionVariables } from "./context";
import { expressionOptions, type StepEnv } from "./env";
import { type InputState, resolveInputValues } from "./inputs";
import type { Execution } from "./model";
import { ExecutionOperationError } from "./step-context";

/**
 * What resuming a paused execution with these inputs would make of each `onResume` input of its paused Pause
 * tasks (Kestra's `POST /executions/{id}/resume/validate`): the same resolution as the resume itself, nothing
 * changed. An execution that is not PAUSED is refused, as the resume would be.
 */
export async function validateResumeInputs(
  flow: Flow,
  execution: Execution,
  provided: Record<string, unknown>,
  env: StepEnv,
): Promise<{ inputs: (InputState & { input: Input })[] }> {
  if (execution.state.current !== "PAUSED")
    throw new ExecutionOperationError(`cannot resume an execution that is ${execution.state.current}`);
  const tasks = indexTasks(flow, env.registry);
  const declared: Input[] = [];
  for (const run of execution.taskRunList) {
    if (run.state.current !== "PAUSED") continue;
    const onResume = tasks.get(run.taskId)?.task.onResume;
    if (Array.isArray(onResume)) declared.push(...(onResume as Input[]));
  }
  const base = executionVariables(flow, execution, env);
  const { states } = await resolveInputValues(
    declared,
    provided,
    (template, inputs) => renderTreeAsync(template, { ...base, inputs }, expressionOptions(env)),
    env.inputCipher,
  );
  return { inputs: states.map((state, i) => ({ ...state, input: declared[i] as Input })) };
}
