"use client";
// Kestra's Approval on the execution page: the review form of each Approval task run waiting for one (its
// buttons named by the task's `decisions`, a comment box that `commentRequired` makes required, its review
// `inputs`), and the decisions made (who, when, comment), read from the runs' outputs.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { useTRPC } from "../../_trpc/react";
import type { DeclaredInput, FieldValue } from "../execute";
import { ErrorText } from "../ui";
import { type Ability, Guarded, InputsForm, startValues } from "./actions";
import { declaredInputs, findTask, parseFlow } from "./flow-source";
import type { ExecutionView } from "./live";
import { useTaskRunDetails } from "./task-run-details";

type TaskDoc = Record<string, unknown>;
type Run = ExecutionView["taskRunList"][number];

/** The flow revision the execution ran, parsed (the same query as the actions', so read once). */
export function useFlowDoc(tenant: string, execution: ExecutionView): TaskDoc | undefined {
  const trpc = useTRPC();
  const flow = useQuery(
    trpc.flows.get.queryOptions({
      tenant,
      namespace: execution.namespace,
      flowId: execution.flowId,
      revision: execution.flowRevision,
    }),
  );
  return useMemo(() => parseFlow((flow.data as { source?: string } | undefined)?.source), [flow.data]);
}

/** `io.kestra.plugin.core.flow.Approval` or Cadenza's `core.flow.Approval`. */
export const isApproval = (task: TaskDoc | undefined) =>
  typeof task?.type === "string" && /(^|\.)flow\.Approval$/.test(task.type);

/** The Approval task runs paused for a review, with their task definitions. */
export function waitingApprovals(execution: ExecutionView, doc: TaskDoc | undefined) {
  if (!doc) return [];
  return execution.taskRunList.flatMap((run) => {
    if (run.state.current !== "PAUSED") return [];
    const task = findTask(doc.tasks, run.taskId);
    return isApproval(task) ? [{ run, task: task as TaskDoc }] : [];
  });
}

/** A literal label (an expression is not rendered here: the default name stands in for it). */
const label = (value: unknown, fallback: string) =>
  typeof value === "string" && value.trim() && !value.includes("{{") ? value : fallback;

function commentNeeded(required: unknown, decision: "APPROVED" | "DENIED") {
  return (
    required === "ALWAYS" ||
    (required === "ON_DENY" && decision === "DENIED") ||
    (required === "ON_APPROVE" && decision === "APPROVED")
  );
}

/** Plain values for the review inputs (a FILE is not taken by the review). */
function plain(inputs: DeclaredInput[], values: Record<string, FieldValue>) {
  const out: Record<string, unknown> = {};
  for (const input of inputs) {
    const value = values[input.id];
    if (value !== undefined && value !== "" && !(value instanceof File)) out[input.id] = value;
  }
  return out;
}

export function ApprovalReview({
  tenant,
  execution,
  run,
  task,
  ability,
  onChanged,
}: {
  tenant: string;
  execution: ExecutionView;
  run: Run;
  task: TaskDoc;
  ability?: Ability;
  onChanged(next: ExecutionView): void;
}) {
  const trpc = useTRPC();
  const id = useId();
  const inputs = declaredInputs(task.inputs);
  const [values, setValues] = useState(() => startValues(inputs));
  const [comment, setComment] = useState("");
  const review = useMutation(
    trpc.executions.review.mutationOptions({
      onSuccess: (next) => onChanged(next as unknown as ExecutionView),
    }),
  );
  const decisions = (task.decisions ?? {}) as Record<string, unknown>;
  const required = task.commentRequired;
  const button = (decision: "APPROVED" | "DENIED", name: string, variant: "primary" | "danger") => {
    const missing = commentNeeded(required, decision) && !comment.trim();
    const guard =
      ability?.allowed && (missing || review.isPending)
        ? { allowed: false, needs: missing ? `A comment is required to ${name.toLowerCase()}` : "sending…" }
        : ability;
    return (
      <Guarded
        ability={guard}
        variant={variant}
        onClick={() =>
          review.mutate({
            tenant,
            executionId: execution.id,
            taskRunId: run.id,
            decision,
            ...(comment.trim() ? { comment } : {}),
            ...(inputs.length > 0 ? { inputs: plain(inputs, values) } : {}),
          })
        }
      >
        {name}
      </Guarded>
    );
  };
  const commentRequired = required === "ALWAYS" || required === "ON_DENY" || required === "ON_APPROVE";
  return (
    <section
      aria-label={`Review ${run.taskId}`}
      className="w-full max-w-xl space-y-3 rounded border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950/40"
    >
      <p className="font-medium">
        <span className="font-mono">{run.taskId}</span> waits for a review
      </p>
      <InputsForm inputs={inputs} values={values} setValues={setValues} />
      <div>
        <label htmlFor={`${id}-comment`} className="mb-1 block font-medium">
          Comment
          {commentRequired ? (
            <span className="font-normal text-zinc-500">
              {" "}
              (required{required === "ON_DENY" ? " to deny" : required === "ON_APPROVE" ? " to approve" : ""})
            </span>
          ) : null}
        </label>
        <textarea
          id={`${id}-comment`}
          value={comment}
          disabled={!ability?.allowed}
          title={ability?.allowed ? undefined : ability?.needs}
          onChange={(e) => setComment(e.target.value)}
          rows={2}
          className="w-full rounded border border-zinc-300 bg-white px-2 py-1 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900"
        />
      </div>
      <div className="flex justify-end gap-2">
        {button("DENIED", label(decisions.deny, "Deny"), "danger")}
        {button("APPROVED", label(decisions.approve, "Approve"), "primary")}
      </div>
      {review.error ? <ErrorText>{review.error.message}</ErrorText> : null}
    </section>
  );
}

/** The decisions made on the execution's Approvals: who, when, what they said (from the runs' outputs). */
export function ApprovalDecisions({
  tenant,
  execution,
  doc,
}: {
  tenant: string;
  execution: ExecutionView;
  doc: TaskDoc | undefined;
}) {
  const runs = useMemo(
    () =>
      doc
        ? execution.taskRunList.filter(
            (run) => run.state.current !== "PAUSED" && isApproval(findTask(doc.tasks, run.taskId)),
          )
        : [],
    [execution.taskRunList, doc],
  );
  return runs.length === 0 ? null : <Decisions tenant={tenant} execution={execution} runs={runs} />;
}

function Decisions({ tenant, execution, runs }: { tenant: string; execution: ExecutionView; runs: Run[] }) {
  const details = useTaskRunDetails(tenant, execution.id, runs);
  const decided = runs.flatMap((run) => {
    const outputs = details?.get(run.id)?.outputs;
    return typeof outputs?.decision === "string" ? [{ run, o: outputs }] : [];
  });
  if (decided.length === 0) return null;
  return (
    <ul aria-label="Approval decisions" className="space-y-1 text-sm">
      {decided.map(({ run, o }) => (
        <li key={run.id} data-testid="approval-decision">
          <span className="font-mono">{run.taskId}</span>: <strong>{String(o.decision)}</strong>
          {o.auto === true ? " automatically" : null}
          {typeof o.by === "string" ? ` by ${o.by}` : null}
          {typeof o.on === "string" ? ` on ${new Date(o.on).toLocaleString()}` : null}
          {typeof o.comment === "string" ? <q className="ml-1 italic">{o.comment}</q> : null}
        </li>
      ))}
    </ul>
  );
}
