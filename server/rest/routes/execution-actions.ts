// Kestra's execution actions beyond kill/pause/resume/restart, at Kestra 1.x's paths (kestra-2.ts serves the
// first three again under /executions/{id}/actions/): force-run, unqueue, change-status, resume/validate.
import { z } from "zod";
import { executionActionOperations as ops } from "../../operations/execution-actions";
import { execution } from "../responses";
import { type AnyRoute, type InputsBody, operationRoute } from "../route";

const resumeValidation = z
  .object({
    id: z.string().meta({ description: "The flow id." }),
    namespace: z.string(),
    inputs: z.array(
      z.object({
        id: z.string(),
        input: z.looseObject({ id: z.string(), type: z.string() }),
        value: z.unknown(),
        enabled: z.boolean(),
        isDefault: z.boolean(),
        errors: z.array(z.object({ message: z.string() })),
      }),
    ),
  })
  .meta({ id: "ResumeInputsValidation" });

export const executionActionRoutes: AnyRoute[] = [
  operationRoute(ops.forceRun, {
    method: "POST",
    path: "/executions/{executionId}/force-run",
    tag: "Executions",
    summary:
      "Force an execution to run: a CREATED one (scheduled for later) starts now, a QUEUED one past its flow's concurrency limit, a PAUSED one resumes.",
    responses: [
      { status: 200, description: "The execution after it.", schema: execution },
      { status: 409, description: "The execution has ended." },
    ],
  }),
  operationRoute(ops.unqueue, {
    method: "POST",
    path: "/executions/{executionId}/unqueue",
    tag: "Executions",
    summary: "Run a QUEUED execution now, past its flow's concurrency limit.",
    responses: [
      { status: 200, description: "The execution, now running.", schema: execution },
      { status: 409, description: "The execution is not QUEUED." },
    ],
  }),
  operationRoute(ops.changeStatus, {
    method: "POST",
    path: "/executions/{executionId}/change-status",
    tag: "Executions",
    summary:
      "Give an ended execution another end state (`?status=SUCCESS`, WARNING, FAILED, KILLED, CANCELLED...): nothing runs again and no trigger fires again.",
    responses: [
      { status: 200, description: "The execution with its new status.", schema: execution },
      { status: 409, description: "The execution has not ended." },
      { status: 422, description: "The status is not an end state." },
    ],
  }),
  operationRoute(ops.validateResume, {
    method: "POST",
    path: "/executions/{executionId}/resume/validate",
    tag: "Executions",
    summary:
      "Validate the inputs of a resume (the body as for resuming) without resuming: each onResume input of the paused Pause tasks with its value and errors.",
    body: { kind: "inputs" },
    responses: [
      { status: 200, description: "One entry per onResume input.", schema: resumeValidation },
      { status: 409, description: "The execution is not PAUSED." },
    ],
    input: ({ params, body }) => ({ ...params, inputs: (body as InputsBody).values ?? {} }),
  }),
];
