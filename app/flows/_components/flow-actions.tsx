"use client";
// The flow page's actions: Execute (button and Ctrl/Cmd-E) opens the typed inputs dialog; without
// EXECUTION:CREATE the button is disabled and says which permission is missing (the server refuses anyway).
import { useEffect, useState } from "react";
import { ExecuteDialog } from "../../_components/execute";
import { Button } from "../../_components/ui";

export function FlowActions({
  tenant,
  namespace,
  flowId,
  canExecute,
  disabled,
}: {
  tenant: string;
  namespace: string;
  flowId: string;
  canExecute: boolean;
  /** A disabled flow cannot run (Kestra refuses it too). */
  disabled: boolean;
}) {
  const [open, setOpen] = useState(false);
  const reason = !canExecute
    ? `needs EXECUTION:CREATE on ${namespace}`
    : disabled
      ? "the flow is disabled: enable it to run it"
      : undefined;

  useEffect(() => {
    if (reason) return;
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "e") {
        event.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [reason]);

  return (
    <>
      <span title={reason ?? "Execute (Ctrl/Cmd-E)"}>
        <Button disabled={Boolean(reason)} onClick={() => setOpen(true)} aria-keyshortcuts="Control+E Meta+E">
          Execute
        </Button>
      </span>
      {reason ? null : (
        <ExecuteDialog
          tenant={tenant}
          namespace={namespace}
          flowId={flowId}
          open={open}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}
