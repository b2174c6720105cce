"use client";
// Kestra's "change status" of a whole execution: an ended execution takes another end state (nothing runs
// again, no trigger fires again). The server refuses without EXECUTION:UPDATE and while the execution runs;
// the button shows only once it has ended.
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTRPC } from "../../_trpc/react";
import { type Ability, Dialog, Guarded } from "./actions";
import type { ExecutionView } from "./live";
import { StateBadge } from "./state-badge";
import { StateChoiceActions, StateChoiceField } from "./state-choice";

// The server's EXECUTION_END_STATES (engine/executor/change-state.ts), kept here so the client bundle takes
// nothing from the engine; the server's schema refuses anything else.
const EXECUTION_END_STATES = ["SUCCESS", "WARNING", "FAILED", "KILLED", "CANCELLED"] as const;
type EndState = (typeof EXECUTION_END_STATES)[number];

export function ChangeStatusButton({
  tenant,
  execution,
  ability,
  onChanged,
}: {
  tenant: string;
  execution: ExecutionView;
  ability?: Ability;
  onChanged(next?: ExecutionView): void;
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const choices = EXECUTION_END_STATES.filter((state) => state !== execution.state.current);
  const [state, setState] = useState<EndState>(choices[0] ?? "SUCCESS");
  const change = useMutation(
    trpc.executions.changeStatus.mutationOptions({
      onSuccess: (next) => {
        setOpen(false);
        onChanged(next as unknown as ExecutionView);
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ tenant, executionId: execution.id, state });
  };
  return (
    <>
      <Guarded ability={ability} variant="plain" onClick={() => setOpen(true)}>
        Change status
      </Guarded>
      {open ? (
        <Dialog title="Change the execution's status" onClose={() => setOpen(false)}>
          <form onSubmit={submit} className="space-y-4">
            <p className="text-sm">
              The execution is <StateBadge state={execution.state.current} />
            </p>
            <StateChoiceField
              id={`change-status-${execution.id}`}
              label="New status"
              value={state}
              choices={choices}
              onChange={(next) => setState(next)}
              hint="Only the execution's status changes: no task runs again and no flow trigger fires again."
            />
            <StateChoiceActions
              {...(change.error ? { error: change.error.message } : {})}
              submitLabel="Change status"
              disabled={change.isPending}
              onCancel={() => setOpen(false)}
            />
          </form>
        </Dialog>
      ) : null}
    </>
  );
}
