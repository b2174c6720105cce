// The launch form's live validation (Kestra's `POST /executions/{namespace}/{flowId}/validate`): each
// input with its value, whether dependsOn shows it, and its errors; nothing is started.
import { z } from "zod";
import { validateExecutionInputs } from "../services/execution-inputs";
import { flowId, namespace, revisionNumber } from "../services/schemas";
import { defineOperation, fromInput } from "./operation";

export const executionInputOperations = {
  validate: defineOperation({
    name: "executionInputs.validate",
    kind: "query",
    input: z.object({
      namespace,
      flowId,
      inputs: z.record(z.string(), z.unknown()).optional(),
      /** Uploaded files (REST's multipart body): validated as the URI they would get, not stored. */
      files: z
        .array(z.object({ inputId: z.string(), fileName: z.string(), content: z.instanceof(Uint8Array) }))
        .optional(),
      revision: revisionNumber.optional(),
    }),
    permission: {
      resource: "EXECUTION",
      action: "CREATE",
      namespace: fromInput<{ namespace: string }>("namespace"),
    },
    run: (scope, input) =>
      validateExecutionInputs(scope, input.namespace, input.flowId, {
        ...(input.inputs ? { inputs: input.inputs } : {}),
        ...(input.files ? { files: input.files } : {}),
        ...(input.revision !== undefined ? { revision: input.revision } : {}),
      }),
  }),
};
