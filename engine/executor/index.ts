export { CHANGEABLE_STATES, type ChangeableState, EXECUTION_END_STATES } from "./change-state";
export {
  type CheckBehavior,
  ChecksBlockedError,
  checkBehavior,
  type FailedCheck,
  failedChecks,
} from "./checks";
export { executionVariables, labelsMap, taskRunVariables } from "./context";
export {
  createExecution,
  type ExecutionRequest,
  type ExecutionValidation,
  InputValidationError,
  replayExecution,
  validateExecutionInputs,
  withReplayedLabel,
} from "./create";
export { expressionOptions, type StepEnv } from "./env";
export type {
  ExecutionEvent,
  ExecutorCommand,
  ExecutorLog,
  StartSubflowCommand,
  StepResult,
  SubflowEndedEvent,
  TaskResultEvent,
  WorkingDirectorySavedEvent,
} from "./events";
export type { FlowableContext, FlowableDecision, FlowableHandler, ReviewDecision } from "./flowable";
export * from "./flowables";
export { type InputError, type InputState, nestInputs, resolveInputValues } from "./inputs";
export { withIterationFunctions } from "./iteration-functions";
export {
  EXECUTION_KINDS,
  type Execution,
  type ExecutionKind,
  type ExecutionTrigger,
  type LoopIterationRequest,
  type LoopRun,
  type LoopRunParent,
  type State,
  type StateHistory,
  type TaskRun,
  type TaskRunAttempt,
} from "./model";
export { outputsOf, taskStatesOf } from "./outputs";
export { restartRefusal } from "./restart";
export { validateResumeInputs } from "./resume-inputs";
export {
  type InputCipher,
  isSealed,
  openInputs,
  SEALED_TYPE,
  type SealedValue,
  secretInputValues,
} from "./secret-inputs";
export { toExecutionJson } from "./serialize";
export { isCreated, isFailure, isRunning, isTerminal, type StateType } from "./states";
export { step } from "./step";
export { ExecutionOperationError } from "./step-context";
