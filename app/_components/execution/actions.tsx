"use client";
// The execution's actions (Kestra's header buttons): restart, replay from a chosen task run with edited
// inputs, kill, pause, resume with the Pause task's `onResume` form, force run (a CREATED or QUEUED execution
// starts now), unqueue (a QUEUED one runs past its flow's concurrency limit), change the status of an ended
// execution, run again and labels. Each calls the
// existing operation (which the server refuses without the permission); a disabled action says which
// permission it needs, from the server's own `can()` (executions.abilities).
import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useId, useMemo, useState } from "react";
import { useTRPC } from "../../_trpc/react";
import {
  type DeclaredInput,
  ExecuteButton,
  type FieldValue,
  InputField,
  initialValue,
  toFormData,
} from "../execute";
import { Button, ErrorText, Select } from "../ui";
import { ApprovalReview, waitingApprovals } from "./approval";
import { ChangeStatusButton } from "./change-status";
import { declaredInputs, findTask, parseFlow } from "./flow-source";
import type { ExecutionView } from "./live";
import { TERMINAL } from "./state-badge";

export type Ability = { allowed: boolean; needs: string };

export function Guarded({
  ability,
  children,
  ...props
}: {
  ability?: Ability;
  children: ReactNode;
  onClick(): void;
  variant?: "primary" | "plain" | "danger";
}) {
  const allowed = ability?.allowed === true;
  return (
    <span title={allowed ? undefined : (ability?.needs ?? "checking permissions…")}>
      <Button {...props} disabled={!allowed} aria-disabled={!allowed}>
        {children}
      </Button>
    </span>
  );
}

export function Dialog({
  title,
  children,
  onClose,
}: {
  title: string;
  children: ReactNode;
  onClose(): void;
}) {
  return (
    <div className="fixed inset-0 z-50 flex items-start justify-center overflow-y-auto bg-black/40 p-4 pt-20">
      <div
        role="dialog"
        aria-modal="true"
        aria-label={title}
        className="w-full max-w-lg rounded-lg bg-white p-5 shadow-xl dark:bg-zinc-900"
        onKeyDown={(event) => {
          if (event.key === "Escape") onClose();
        }}
      >
        <h2 className="mb-4 text-lg font-semibold">{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** Typed fields for declared inputs (the Execute dialog's InputField), with their values. */
export function InputsForm({
  inputs,
  values,
  setValues,
}: {
  inputs: DeclaredInput[];
  values: Record<string, FieldValue>;
  setValues(next: Record<string, FieldValue>): void;
}) {
  const base = useId();
  if (inputs.length === 0) return null;
  return (
    <div className="space-y-3">
      {inputs.map((input) => (
        <div key={input.id}>
          <label htmlFor={`${base}-${input.id}`} className="mb-1 block text-sm font-medium">
            {input.displayName ?? input.id}
            {input.required !== false && input.defaults === undefined ? (
              <span className="text-red-600"> *</span>
            ) : null}
          </label>
          {input.description ? <p className="mb-1 text-xs text-zinc-500">{input.description}</p> : null}
          <InputField
            input={input}
            fieldId={`${base}-${input.id}`}
            value={values[input.id]}
            onChange={(value) => setValues({ ...values, [input.id]: value })}
          />
        </div>
      ))}
    </div>
  );
}

export function startValues(inputs: DeclaredInput[], given?: Record<string, unknown>) {
  return Object.fromEntries(
    inputs.map((input) => {
      const prefill = given?.[input.id];
      return [
        input.id,
        prefill === undefined || input.type === "FILE" || input.type === "SECRET"
          ? initialValue(input)
          : initialValue({ ...input, prefill }),
      ];
    }),
  );
}

async function errorOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: string; details?: { message?: string }[] };
    return [body.message, ...(body.details ?? []).map((d) => d.message)].filter(Boolean).join(" ");
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

function ResumeDialog({
  tenant,
  execution,
  inputs,
  onClose,
  onDone,
}: {
  tenant: string;
  execution: ExecutionView;
  inputs: DeclaredInput[];
  onClose(): void;
  onDone(next: ExecutionView): void;
}) {
  const [values, setValues] = useState(() => startValues(inputs));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const response = await fetch(
      `/api/v1/${encodeURIComponent(tenant)}/executions/${encodeURIComponent(execution.id)}/resume`,
      { method: "POST", body: toFormData(inputs, values, new Set(inputs.map((i) => i.id))) },
    );
    setBusy(false);
    if (!response.ok) return setError(await errorOf(response));
    onDone((await response.json()) as ExecutionView);
  };
  return (
    <Dialog title="Resume the execution" onClose={onClose}>
      <form onSubmit={submit} className="space-y-4">
        {inputs.length === 0 ? (
          <p className="text-sm text-zinc-500">The paused task asks for no input.</p>
        ) : (
          <InputsForm inputs={inputs} values={values} setValues={setValues} />
        )}
        {error ? <ErrorText>{error}</ErrorText> : null}
        <div className="flex justify-end gap-2">
          <Button variant="plain" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={busy}>
            Resume
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function ReplayDialog({
  tenant,
  execution,
  inputs,
  onClose,
}: {
  tenant: string;
  execution: ExecutionView;
  inputs: DeclaredInput[];
  onClose(): void;
}) {
  const trpc = useTRPC();
  const [from, setFrom] = useState(execution.taskRunList[0]?.id ?? "");
  const [values, setValues] = useState(() => startValues(inputs, execution.inputs));
  const replay = useMutation(
    trpc.executions.replay.mutationOptions({
      onSuccess: (fresh) => {
        window.location.assign(`/executions/${encodeURIComponent(String((fresh as { id: string }).id))}`);
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const given: Record<string, unknown> = {};
    for (const input of inputs) {
      const value = values[input.id];
      if (value === undefined || value === "" || value instanceof File) continue;
      given[input.id] = value;
    }
    replay.mutate({ tenant, executionId: execution.id, taskRunId: from, inputs: given });
  };
  return (
    <Dialog title="Replay the execution" onClose={onClose}>
      <form onSubmit={submit} className="space-y-4">
        <label htmlFor="replay-from" className="block text-sm font-medium">
          From task run
        </label>
        <Select
          id="replay-from"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          className="mt-1 w-full"
        >
          {execution.taskRunList.map((run) => (
            <option key={run.id} value={run.id}>
              {run.taskId}
              {run.value !== null ? ` [${run.value}]` : ""} — {run.state.current}
            </option>
          ))}
        </Select>
        <InputsForm inputs={inputs} values={values} setValues={setValues} />
        {replay.error ? <ErrorText>{replay.error.message}</ErrorText> : null}
        <div className="flex justify-end gap-2">
          <Button variant="plain" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={replay.isPending}>
            Replay
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * The execution's labels: add or change one (key:value), remove one (×). Each change sends the whole list,
 * which becomes the execution's labels (POST /executions/{id}/labels); system labels are shown, kept, and
 * cannot be removed.
 */
export function LabelsEditor({
  tenant,
  execution,
  ability,
}: {
  tenant: string;
  execution: ExecutionView;
  ability?: Ability;
}) {
  const trpc = useTRPC();
  const [text, setText] = useState("");
  const [labels, setLabels] = useState(execution.labels ?? []);
  const save = useMutation(trpc.executions.setLabels.mutationOptions());
  const allowed = ability?.allowed === true;
  const send = (next: { key: string; value: string }[], done?: () => void) =>
    save.mutate(
      { tenant, executionId: execution.id, labels: next },
      {
        onSuccess: (saved) => {
          setLabels((saved as unknown as ExecutionView).labels ?? next);
          done?.();
        },
      },
    );
  const add = (event: FormEvent) => {
    event.preventDefault();
    const at = text.indexOf(":");
    if (at < 1) return;
    const label = { key: text.slice(0, at).trim(), value: text.slice(at + 1).trim() };
    send([...labels.filter((l) => l.key !== label.key), label], () => setText(""));
  };
  return (
    <div className="flex flex-wrap items-center gap-1.5">
      {labels.map((l) => (
        <span
          key={l.key}
          data-label={l.key}
          className="inline-flex items-center gap-1 rounded-full bg-zinc-100 px-2 py-0.5 font-mono text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200"
        >
          {l.key}:{l.value}
          {l.key.startsWith("system.") ? null : (
            <button
              type="button"
              aria-label={`Remove label ${l.key}`}
              title={allowed ? `Remove ${l.key}` : ability?.needs}
              disabled={!allowed || save.isPending}
              onClick={() => send(labels.filter((other) => other.key !== l.key))}
              className="text-zinc-400 hover:text-red-600 disabled:opacity-50 disabled:hover:text-zinc-400"
            >
              ×
            </button>
          )}
        </span>
      ))}
      {labels.length === 0 ? <span className="text-xs text-zinc-500">No labels.</span> : null}
      <form onSubmit={add} title={allowed ? undefined : ability?.needs} className="inline-flex">
        <input
          aria-label="Add a label (key:value)"
          placeholder="key:value"
          value={text}
          disabled={!allowed}
          onChange={(e) => setText(e.target.value)}
          className="w-28 rounded border border-zinc-300 bg-transparent px-1.5 py-0.5 font-mono text-xs disabled:opacity-50 dark:border-zinc-700"
        />
      </form>
      {save.error ? <ErrorText>{save.error.message}</ErrorText> : null}
    </div>
  );
}

export function useAbilities(tenant: string, executionId: string) {
  const trpc = useTRPC();
  return useQuery(trpc.executions.abilities.queryOptions({ tenant, executionId })).data as
    | Record<string, Ability>
    | undefined;
}

export function ExecutionActions({
  tenant,
  execution,
  onChanged,
}: {
  tenant: string;
  execution: ExecutionView;
  onChanged(next?: ExecutionView): void;
}) {
  const trpc = useTRPC();
  const abilities = useAbilities(tenant, execution.id);
  const flow = useQuery(
    trpc.flows.get.queryOptions({
      tenant,
      namespace: execution.namespace,
      flowId: execution.flowId,
      revision: execution.flowRevision,
    }),
  );
  const doc = useMemo(() => parseFlow((flow.data as { source?: string } | undefined)?.source), [flow.data]);
  const approvals = waitingApprovals(execution, doc);
  // An Approval is decided, not resumed (the engine refuses a resume while one waits).
  const onlyApprovals =
    approvals.length > 0 &&
    approvals.length === execution.taskRunList.filter((r) => r.state.current === "PAUSED").length;
  const [dialog, setDialog] = useState<"resume" | "replay">();
  const operate = useMutation(
    trpc.executions.operate.mutationOptions({
      onSuccess: (next) => onChanged(next as unknown as ExecutionView),
    }),
  );
  const state = execution.state.current;
  const paused = execution.taskRunList.find((run) => run.state.current === "PAUSED");
  const resumeInputs = paused && doc ? declaredInputs(findTask(doc.tasks, paused.taskId)?.onResume) : [];
  const run = (operation: "kill" | "pause" | "restart" | "resume") =>
    operate.mutate({ tenant, executionId: execution.id, operation });
  const changed = { onSuccess: (next: unknown) => onChanged(next as ExecutionView) };
  const forceRun = useMutation(trpc.executions.forceRun.mutationOptions(changed));
  const unqueue = useMutation(trpc.executions.unqueue.mutationOptions(changed));
  const error = operate.error ?? forceRun.error ?? unqueue.error;

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap items-center justify-end gap-2">
        {state === "CREATED" || state === "QUEUED" ? (
          <Guarded
            ability={abilities?.forceRun}
            onClick={() => forceRun.mutate({ tenant, executionId: execution.id })}
          >
            Force run
          </Guarded>
        ) : null}
        {state === "QUEUED" ? (
          <Guarded
            ability={abilities?.unqueue}
            variant="plain"
            onClick={() => unqueue.mutate({ tenant, executionId: execution.id })}
          >
            Unqueue
          </Guarded>
        ) : null}
        {state === "PAUSED" && !onlyApprovals ? (
          <Guarded ability={abilities?.resume} onClick={() => setDialog("resume")}>
            Resume
          </Guarded>
        ) : null}
        {state === "RUNNING" ? (
          <Guarded ability={abilities?.pause} variant="plain" onClick={() => run("pause")}>
            Pause
          </Guarded>
        ) : null}
        {!TERMINAL.has(state) ? (
          <Guarded ability={abilities?.kill} variant="danger" onClick={() => run("kill")}>
            Kill
          </Guarded>
        ) : null}
        {["FAILED", "KILLED", "WARNING"].includes(state) ? (
          <Guarded ability={abilities?.restart} onClick={() => run("restart")}>
            Restart
          </Guarded>
        ) : null}
        {TERMINAL.has(state) ? (
          <ChangeStatusButton
            tenant={tenant}
            execution={execution}
            ability={abilities?.changeStatus}
            onChanged={onChanged}
          />
        ) : null}
        {TERMINAL.has(state) ? (
          <Guarded ability={abilities?.replay} variant="plain" onClick={() => setDialog("replay")}>
            Replay
          </Guarded>
        ) : null}
        {abilities?.replay?.allowed ? (
          <ExecuteButton
            tenant={tenant}
            namespace={execution.namespace}
            flowId={execution.flowId}
            initialValues={execution.inputs}
            label="Run again"
            variant="plain"
          />
        ) : (
          <Guarded ability={abilities?.replay} variant="plain" onClick={() => undefined}>
            Run again
          </Guarded>
        )}
      </div>
      {error ? <ErrorText>{error.message}</ErrorText> : null}
      {approvals.map(({ run, task }) => (
        <ApprovalReview
          key={run.id}
          tenant={tenant}
          execution={execution}
          run={run}
          task={task}
          ability={abilities?.review}
          onChanged={onChanged}
        />
      ))}
      {dialog === "resume" ? (
        <ResumeDialog
          tenant={tenant}
          execution={execution}
          inputs={resumeInputs}
          onClose={() => setDialog(undefined)}
          onDone={(next) => {
            setDialog(undefined);
            onChanged(next);
          }}
        />
      ) : null}
      {dialog === "replay" ? (
        <ReplayDialog
          tenant={tenant}
          execution={execution}
          inputs={declaredInputs(doc?.inputs)}
          onClose={() => setDialog(undefined)}
        />
      ) : null}
    </div>
  );
}
