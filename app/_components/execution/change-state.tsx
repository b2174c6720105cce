"use client";
// Kestra's "change status" of one task run: mark it SUCCESS, WARNING or FAILED on an ended execution,
// which then goes on from there (what follows a run now SUCCESS runs; a run now FAILED sends its block to
// its errors). The server refuses without EXECUTION:UPDATE and while the execution runs; so does this.
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTRPC } from "../../_trpc/react";
import { type Ability, Dialog, Guarded } from "./actions";
import type { ExecutionView, TaskRunView } from "./live";
import { StateBadge, TERMINAL } from "./state-badge";
import { StateChoiceActions, StateChoiceField } from "./state-choice";

const STATES = ["SUCCESS", "WARNING", "FAILED"] as const;
type ChangeableState = (typeof STATES)[number];

const HINTS: Record<ChangeableState, string> = {
  SUCCESS: "The execution goes on after this task: the tasks that follow it run.",
  WARNING: "The execution goes on after this task and ends in WARNING at best.",
  FAILED: "The task's block fails: its errors tasks run and the tasks after it do not.",
};

export function ChangeStateButton({
  tenant,
  execution,
  run,
  ability,
  onChanged,
}: {
  tenant: string;
  execution: ExecutionView;
  run: TaskRunView;
  ability?: Ability;
  onChanged(next?: ExecutionView): void;
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const choices = STATES.filter((state) => state !== run.state.current);
  const [state, setState] = useState<ChangeableState>(choices[0] ?? "SUCCESS");
  const change = useMutation(
    trpc.executions.changeTaskRunState.mutationOptions({
      onSuccess: (next) => {
        setOpen(false);
        onChanged(next as unknown as ExecutionView);
      },
    }),
  );
  const ended = TERMINAL.has(execution.state.current);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ tenant, executionId: execution.id, taskRunId: run.id, state });
  };
  return (
    <>
      <Guarded ability={ability} variant="plain" onClick={() => setOpen(true)}>
        Change state
      </Guarded>
      {open ? (
        <Dialog title="Change the task run's state" onClose={() => setOpen(false)}>
          <form onSubmit={submit} className="space-y-4">
            <p className="text-sm">
              Task <code className="font-mono">{run.taskId}</code>
              {run.value !== null && run.value !== undefined ? (
                <code className="font-mono"> [{run.value}]</code>
              ) : null}{" "}
              is <StateBadge state={run.state.current} />
            </p>
            {ended ? (
              <StateChoiceField
                id={`change-state-${run.id}`}
                label="Mark as"
                value={state}
                choices={choices}
                onChange={(next) => setState(next)}
                hint={HINTS[state]}
              />
            ) : (
              <p role="alert" className="text-sm text-amber-700 dark:text-amber-400">
                The execution is {execution.state.current}: a task run's state can only be changed once the
                execution has ended{execution.state.current === "PAUSED" ? " (resume it instead)" : ""}.
              </p>
            )}
            <StateChoiceActions
              {...(change.error ? { error: change.error.message } : {})}
              submitLabel="Change state"
              disabled={!ended || change.isPending}
              onCancel={() => setOpen(false)}
            />
          </form>
        </Dialog>
      ) : null}
    </>
  );
}
