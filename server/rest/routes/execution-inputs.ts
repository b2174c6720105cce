// Kestra's `POST /executions/{namespace}/{flowId}/validate`: the launch form's live validation.
import { z } from "zod";
import { executionInputOperations } from "../../operations/execution-inputs";
import { type AnyRoute, type InputsBody, operationRoute } from "../route";

const inputValidation = z
  .object({
    id: z.string(),
    namespace: z.string(),
    revision: z.number().int(),
    inputs: z.array(
      z.object({
        id: z.string(),
        input: z.looseObject({ id: z.string(), type: z.string() }),
        value: z.unknown(),
        enabled: z.boolean().meta({ description: "False when the input's dependsOn condition hides it." }),
        isDefault: z.boolean(),
        errors: z.array(z.object({ message: z.string() })),
      }),
    ),
    checks: z
      .array(
        z.object({
          message: z.string(),
          style: z.enum(["ERROR", "SUCCESS", "WARNING", "INFO"]),
          behavior: z.enum(["BLOCK_EXECUTION", "FAIL_EXECUTION", "CREATE_EXECUTION"]),
        }),
      )
      .meta({
        description:
          "The flow's checks that do not hold with these inputs (decided once every input is valid).",
      }),
  })
  .meta({ id: "ExecutionInputsValidation" });

export const executionInputRoutes: AnyRoute[] = [
  operationRoute(executionInputOperations.validate, {
    method: "POST",
    path: "/executions/{namespace}/{flowId}/validate",
    tag: "Executions",
    summary:
      "Validate inputs without starting anything (the body as for creating an execution): each declared input with its typed value, whether its dependsOn shows it, and its errors; and the flow's checks that do not hold.",
    inQuery: ["revision"],
    body: { kind: "inputs" },
    responses: [{ status: 200, description: "One entry per declared input.", schema: inputValidation }],
    input: ({ params, query, body }) => ({
      ...params,
      inputs: (body as InputsBody).values,
      files: (body as InputsBody).files,
      ...(query.revision !== undefined ? { revision: query.revision } : {}),
    }),
  }),
];
