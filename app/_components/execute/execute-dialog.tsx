"use client";
// The launch form of a flow (Kestra's Execute dialog): one field per declared input, validated by the
// server as you type (POST .../validate: the engine's own coercion, bounds and dependsOn conditions, so a
// dependent input appears when its condition holds), labels, an optional start date; submitting posts the
// multipart body (FILE inputs included) to the create-execution endpoint and opens the execution. The flow's
// `checks` that do not hold with the values are shown as the server reports them, in their style; a
// BLOCK_EXECUTION one disables Execute, as the server would refuse it.
import { useRouter } from "next/navigation";
import { type FormEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { fromZonedInput, toZonedInput } from "../../_lib/format-date";
import { Dialog as SharedDialog } from "../dialog";
import { useTimeZone } from "../preferences";
import { Button } from "../ui";
import { InputField } from "./input-field";
import { type DeclaredInput, type FieldValue, initialValue, toFormData } from "./input-values";

export interface StartedExecution {
  id: string;
  namespace: string;
  flowId: string;
  state: { current: string };
}

export interface ExecuteDialogProps {
  tenant: string;
  namespace: string;
  flowId: string;
  /** The flow's declared inputs (the dialog refreshes them from the server when it opens). */
  inputs?: DeclaredInput[];
  open: boolean;
  onClose(): void;
  /** Called with the new execution; without it the dialog navigates to /executions/{id}. */
  onStarted?(execution: StartedExecution): void;
  /** Start values (e.g. the inputs of the execution being run again), by input id. */
  initialValues?: Record<string, unknown>;
}

/** A flow check that does not hold with the current values (the validate endpoint's `checks`). */
export interface FailedCheck {
  message: string;
  style: "ERROR" | "SUCCESS" | "WARNING" | "INFO";
  behavior: "BLOCK_EXECUTION" | "FAIL_EXECUTION" | "CREATE_EXECUTION";
}

const CHECK_STYLES: Record<FailedCheck["style"], string> = {
  ERROR: "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200",
  WARNING:
    "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200",
  SUCCESS:
    "border-green-300 bg-green-50 text-green-800 dark:border-green-800 dark:bg-green-950 dark:text-green-200",
  INFO: "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-200",
};

const CHECK_OUTCOME: Record<FailedCheck["behavior"], string> = {
  BLOCK_EXECUTION: "The execution cannot start until this holds.",
  FAIL_EXECUTION: "The execution will be created FAILED, without running a task.",
  CREATE_EXECUTION: "The execution will still run.",
};

interface InputStatus {
  input: DeclaredInput;
  enabled: boolean;
  errors: string[];
}

const api = (tenant: string, path: string) => `/api/v1/${encodeURIComponent(tenant)}/${path}`;

function startValue(input: DeclaredInput, given: unknown): FieldValue {
  if (given === undefined || given === null || input.type === "FILE" || input.type === "SECRET")
    return initialValue(input);
  return initialValue({ ...input, prefill: given });
}

export function ExecuteDialog(props: ExecuteDialogProps) {
  if (!props.open) return null;
  return <Dialog {...props} />;
}

function Dialog({
  tenant,
  namespace,
  flowId,
  inputs,
  onClose,
  onStarted,
  initialValues,
}: ExecuteDialogProps) {
  const router = useRouter();
  const timeZone = useTimeZone();
  const formId = useId();
  const [declared, setDeclared] = useState<DeclaredInput[]>(inputs ?? []);
  const [values, setValues] = useState<Record<string, FieldValue>>(() =>
    Object.fromEntries(
      (inputs ?? []).map((input) => [input.id, startValue(input, initialValues?.[input.id])]),
    ),
  );
  const [status, setStatus] = useState<Record<string, InputStatus>>({});
  const [checks, setChecks] = useState<FailedCheck[]>([]);
  const [validated, setValidated] = useState(false);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const [checkFailure, setCheckFailure] = useState<string | undefined>();
  const [submitErrors, setSubmitErrors] = useState<Record<string, string[]>>({});
  const [labels, setLabels] = useState<{ key: string; value: string }[]>([]);
  const [later, setLater] = useState(false);
  const [scheduleDate, setScheduleDate] = useState("");
  const sequence = useRef(0);
  const form = useRef<HTMLFormElement>(null);

  // The start values are read once, when an input first appears (a new object each render must not re-check).
  const given = useRef(initialValues);

  /** Asks the server about the current values; returns each input's status (undefined when it failed). */
  const validate = useCallback(
    async (
      current: Record<string, FieldValue>,
      inputsNow: DeclaredInput[],
    ): Promise<Record<string, InputStatus> | undefined> => {
      const mine = ++sequence.current;
      const all = new Set(inputsNow.map((input) => input.id));
      try {
        const response = await fetch(
          api(tenant, `executions/${encodeURIComponent(namespace)}/${encodeURIComponent(flowId)}/validate`),
          { method: "POST", body: toFormData(inputsNow, current, all) },
        );
        const body = (await response.json()) as {
          message?: string;
          inputs?: { id: string; input: DeclaredInput; enabled: boolean; errors: { message: string }[] }[];
          checks?: FailedCheck[];
        };
        if (!response.ok || !body.inputs) {
          if (mine === sequence.current)
            setCheckFailure(body.message ?? `The inputs could not be checked (${response.status}).`);
          return undefined;
        }
        const next: Record<string, InputStatus> = {};
        for (const entry of body.inputs)
          next[entry.id] = {
            input: entry.input,
            enabled: entry.enabled,
            errors: entry.errors.map((e) => e.message),
          };
        if (mine !== sequence.current) return next; // a newer check is on its way: it will set the form
        setCheckFailure(undefined);
        setStatus(next);
        setChecks(body.checks ?? []);
        setValidated(true);
        const fresh = body.inputs.map((entry) => entry.input);
        if (inputsNow.length === 0 || fresh.some((input, i) => input.id !== inputsNow[i]?.id)) {
          setDeclared(fresh);
          setValues((old) => {
            const filled = { ...old };
            for (const input of fresh)
              if (!(input.id in filled)) filled[input.id] = startValue(input, given.current?.[input.id]);
            return filled;
          });
        }
        return next;
      } catch (error) {
        if (mine === sequence.current)
          setCheckFailure(`The inputs could not be checked: ${(error as Error).message}`);
        return undefined;
      }
    },
    [tenant, namespace, flowId],
  );

  // Keyboard users start in the form: the first field once the inputs are known.
  useEffect(() => {
    if (validated) form.current?.querySelector<HTMLElement>("input, select, textarea")?.focus();
  }, [validated]);

  // The server checks the form as it changes (debounced), and once when the dialog opens.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-validate when the values change, not when the answer does
  useEffect(() => {
    const timer = setTimeout(() => void validate(values, declared), validated ? 300 : 0);
    return () => clearTimeout(timer);
  }, [values, validate]);

  const shown = useMemo(
    () =>
      declared.filter((input) =>
        status[input.id] ? status[input.id]?.enabled : !input.dependsOn?.condition,
      ),
    [declared, status],
  );

  const blocked = checks.some((check) => check.behavior === "BLOCK_EXECUTION");

  const set = (id: string, value: FieldValue) => {
    setValues((old) => ({ ...old, [id]: value }));
    setTouched((old) => ({ ...old, [id]: true }));
    setSubmitErrors((old) => ({ ...old, [id]: [] }));
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    setSubmitting(true);
    setFailure(undefined);
    // Check the values as they are now (the check that follows typing may not have run yet).
    const fresh = await validate(values, declared);
    const visible = declared.filter((input) => fresh?.[input.id]?.enabled ?? true);
    if (!fresh || visible.some((input) => (fresh[input.id]?.errors.length ?? 0) > 0)) {
      setSubmitting(false);
      setFailure("Some inputs need fixing: see the messages beside them.");
      return;
    }
    const query = new URLSearchParams();
    for (const label of labels)
      if (label.key.trim()) query.append("labels", `${label.key.trim()}:${label.value}`);
    if (later && scheduleDate) query.set("scheduleDate", scheduleDate);
    try {
      const response = await fetch(
        `${api(tenant, `executions/${encodeURIComponent(namespace)}/${encodeURIComponent(flowId)}`)}${query.size ? `?${query}` : ""}`,
        { method: "POST", body: toFormData(declared, values, new Set(visible.map((input) => input.id))) },
      );
      const body = (await response.json()) as StartedExecution & {
        message?: string;
        details?: { input?: string; message: string }[];
      };
      if (!response.ok) {
        const byInput: Record<string, string[]> = {};
        for (const detail of body.details ?? [])
          if (detail.input) byInput[detail.input] = [...(byInput[detail.input] ?? []), detail.message];
        setSubmitErrors(byInput);
        setFailure(body.message ?? `The execution could not start (${response.status}).`);
        return;
      }
      if (onStarted) onStarted(body);
      else router.push(`/executions/${body.id}`);
      onClose();
    } catch (error) {
      setFailure(`The execution could not start: ${(error as Error).message}`);
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <SharedDialog
      open
      title={`Execute ${flowId}`}
      heading={
        <>
          Execute <span className="font-mono">{flowId}</span>
        </>
      }
      subtitle={namespace}
      size="lg"
      onClose={onClose}
    >
      <form
        ref={form}
        onSubmit={submit}
        noValidate
        className="flex flex-col gap-5 border-t border-zinc-200 pt-4 dark:border-zinc-800"
      >
        {!validated && declared.length === 0 ? (
          <p className="text-sm text-zinc-500">Loading the inputs…</p>
        ) : null}
        {validated && declared.length === 0 ? (
          <p className="text-sm text-zinc-500">This flow has no inputs.</p>
        ) : null}
        {shown.map((input) => {
          const fieldId = `${formId}-${input.id}`;
          const errors = [
            ...(touched[input.id] || submitted ? (status[input.id]?.errors ?? []) : []),
            ...(submitErrors[input.id] ?? []),
          ];
          const unique = [...new Set(errors)];
          return (
            <div key={input.id} className="flex flex-col gap-1.5" data-input={input.id}>
              <div className="flex items-baseline gap-2">
                <label id={`${fieldId}-label`} htmlFor={fieldId} className="text-sm font-medium">
                  {input.displayName ?? input.id}
                  {input.required !== false && input.defaults === undefined ? (
                    <span className="text-red-600" title="Required">
                      {" "}
                      *
                    </span>
                  ) : null}
                </label>
                <span className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[10px] uppercase text-zinc-500 dark:bg-zinc-800">
                  {input.type}
                  {input.itemType && (input.type === "ARRAY" || input.type === "MULTISELECT")
                    ? ` of ${input.itemType}`
                    : ""}
                </span>
              </div>
              {input.description ? <p className="-mt-1 text-xs text-zinc-500">{input.description}</p> : null}
              <InputField
                input={input}
                value={values[input.id]}
                onChange={(value) => set(input.id, value)}
                fieldId={fieldId}
                invalid={unique.length > 0}
                describedBy={unique.length > 0 ? `${fieldId}-errors` : undefined}
              />
              {unique.length > 0 ? (
                <p id={`${fieldId}-errors`} role="alert" className="text-xs text-red-700 dark:text-red-300">
                  {unique.join("; ")}
                </p>
              ) : null}
            </div>
          );
        })}

        <details className="rounded-md border border-zinc-200 px-3 py-2 text-sm dark:border-zinc-800">
          <summary className="cursor-pointer font-medium">Labels and schedule</summary>
          <div className="mt-3 flex flex-col gap-2">
            <span className="text-xs font-medium text-zinc-600 dark:text-zinc-400">Labels</span>
            {labels.map((label, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position
              <div key={index} className="flex gap-1">
                <input
                  aria-label={`Label ${index + 1} key`}
                  placeholder="key"
                  className="w-40 rounded-md border border-zinc-300 px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
                  value={label.key}
                  onChange={(e) =>
                    setLabels(labels.map((l, i) => (i === index ? { ...l, key: e.target.value } : l)))
                  }
                />
                <input
                  aria-label={`Label ${index + 1} value`}
                  placeholder="value"
                  className="min-w-0 flex-1 rounded-md border border-zinc-300 px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
                  value={label.value}
                  onChange={(e) =>
                    setLabels(labels.map((l, i) => (i === index ? { ...l, value: e.target.value } : l)))
                  }
                />
                <button
                  type="button"
                  aria-label={`Remove label ${index + 1}`}
                  className="rounded-md border border-zinc-300 px-2 text-xs dark:border-zinc-700"
                  onClick={() => setLabels(labels.filter((_, i) => i !== index))}
                >
                  ✕
                </button>
              </div>
            ))}
            <button
              type="button"
              className="self-start text-xs text-brand-600 hover:underline"
              onClick={() => setLabels([...labels, { key: "", value: "" }])}
            >
              + Add a label
            </button>
            <label className="mt-2 flex items-center gap-2 text-sm">
              <input type="checkbox" checked={later} onChange={(e) => setLater(e.target.checked)} />
              Start later (scheduled date)
            </label>
            {later ? (
              <input
                type="datetime-local"
                step={1}
                aria-label="Scheduled date"
                className="w-64 rounded-md border border-zinc-300 px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
                value={toZonedInput(scheduleDate, timeZone)}
                onChange={(e) => setScheduleDate(fromZonedInput(e.target.value, timeZone))}
              />
            ) : null}
          </div>
        </details>

        {checks.length > 0 ? (
          <ul aria-label="Checks" className="flex flex-col gap-2">
            {checks.map((check, index) => (
              <li
                // biome-ignore lint/suspicious/noArrayIndexKey: two checks may carry the same message
                key={index}
                role={check.style === "ERROR" ? "alert" : "status"}
                data-check-behavior={check.behavior}
                className={`rounded-md border px-3 py-2 text-sm ${CHECK_STYLES[check.style]}`}
              >
                <span className="font-medium">{check.message}</span>
                <span className="block text-xs opacity-80">{CHECK_OUTCOME[check.behavior]}</span>
              </li>
            ))}
          </ul>
        ) : null}
        {failure || checkFailure ? (
          <p
            role="alert"
            className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
          >
            {failure ?? checkFailure}
          </p>
        ) : null}
        <div className="flex justify-end gap-2 border-t border-zinc-200 pt-4 dark:border-zinc-800">
          <Button variant="plain" onClick={onClose}>
            Cancel
          </Button>
          <Button
            type="submit"
            disabled={submitting || blocked}
            title={blocked ? "A check that blocks the execution does not hold" : undefined}
          >
            {submitting ? "Starting…" : "Execute"}
          </Button>
        </div>
      </form>
    </SharedDialog>
  );
}

/** A button that opens the dialog (e.g. "Execute" on a flow page, "Run again" on an execution). */
export function ExecuteButton({
  label = "Execute",
  variant = "primary",
  ...props
}: Omit<ExecuteDialogProps, "open" | "onClose"> & { label?: string; variant?: "primary" | "plain" }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant={variant} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <ExecuteDialog {...props} open={open} onClose={() => setOpen(false)} />
    </>
  );
}
