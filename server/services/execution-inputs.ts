// Kestra's input validation before a run (`POST /executions/{namespace}/{flowId}/validate`): what the engine
// would make of each declared input with these values — shown or hidden by its dependsOn, typed value,
// errors — computed by the engine's own resolution (validateExecutionInputs), and the flow's checks that do
// not hold with them. Nothing is created or stored.
import type { Input } from "@/engine/flow";
import { newId } from "@/worker/ids";
import { inputFileUri } from "@/worker/storage/uris";
import type { UploadedFile } from "./executions";
import type { ServiceScope } from "./scope";

export interface InputValidation {
  id: string;
  /** The input as the flow declares it (type, description, defaults, values, dependsOn...). */
  input: Input;
  value: unknown;
  enabled: boolean;
  isDefault: boolean;
  errors: { message: string }[];
}

export interface ExecutionInputsValidation {
  id: string;
  namespace: string;
  revision: number;
  inputs: InputValidation[];
  /** The flow's checks that do not hold with these inputs (Kestra's ApiCheckFailure). */
  checks: { message: string; style: string; behavior: string }[];
}

export async function validateExecutionInputs(
  scope: ServiceScope,
  namespace: string,
  flowId: string,
  request: { inputs?: Record<string, unknown>; files?: UploadedFile[]; revision?: number },
): Promise<ExecutionInputsValidation> {
  const engine = await scope.engine();
  const inputs: Record<string, unknown> = { ...(request.inputs ?? {}) };
  // An uploaded file validates as the URI it would get; it is not stored.
  const draftId = newId();
  for (const file of request.files ?? [])
    inputs[file.inputId] = inputFileUri(namespace, flowId, draftId, file.inputId, file.fileName);
  const {
    flow,
    inputs: states,
    checks,
  } = await engine.client.validateInputs(
    scope.tenant.id,
    namespace,
    flowId,
    { inputs },
    request.revision !== undefined ? { revision: request.revision } : {},
  );
  const declared = new Map(flow.inputs.map((input) => [input.id, input]));
  return {
    id: flow.id,
    namespace: flow.namespace,
    revision: flow.revision,
    inputs: states.map((state) => ({
      id: state.id,
      input: declared.get(state.id) as Input,
      value: state.value,
      enabled: state.enabled,
      isDefault: state.isDefault,
      errors: state.errors.map((message) => ({ message })),
    })),
    checks: checks.map(({ message, style, behavior }) => ({ message, style, behavior })),
  };
}
