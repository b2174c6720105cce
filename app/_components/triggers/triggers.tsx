"use client";
// Every trigger of the tenant with its flow, next and last dates, the enabled switch, the lock (the
// execution holding it, with "unlock"), webhook URLs with a copy button (the key only for those who may
// update the flow), and backfills of schedules: a dialog to start one, its progress live, pause, resume,
// cancel. Actions the person may not do are disabled with a tooltip naming the permission and namespace.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { formatRelative, formatSortable, fromZonedInput, toZonedInput } from "../../_lib/format-date";
import { useTRPC } from "../../_trpc/react";
import { Dialog } from "../dialog";
import { allowed, type Grants, needs } from "../executions/access";
import { parseLabels } from "../executions/filters";
import { useFormatDate, useTimeZone } from "../preferences";
import { Button, Card, Empty, ErrorText, Field, Input } from "../ui";

const POLL_MS = 2_000;
const HIDDEN_KEY = "******";

interface Backfill {
  start: string;
  end: string;
  currentDate: string;
  paused: boolean;
  total: number;
  done: number;
  finishedAt?: string;
  cancelledAt?: string;
}

interface Trigger {
  namespace: string;
  flowId: string;
  triggerId: string;
  type: string;
  disabled: boolean;
  nextExecutionDate: string | null;
  lastTriggeredDate: string | null;
  backfill: unknown;
  lockedBy: string | null;
  webhookKey?: string;
}

const shortType = (type: string) => type.split(".").pop() ?? type;

export function Triggers({ tenant }: { tenant: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const access = useQuery(trpc.team.access.queryOptions({ tenant }));
  const grants = access.data?.grants as Grants | undefined;
  const list = useQuery({ ...trpc.triggers.list.queryOptions({ tenant }), refetchInterval: POLL_MS });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.triggers.list.queryKey() });
  const [error, setError] = useState<string | undefined>();
  const onError = (e: { message: string }) => setError(e.message);
  const onSuccess = () => {
    setError(undefined);
    void refresh();
  };
  const toggle = useMutation(trpc.triggers.setDisabled.mutationOptions({ onSuccess, onError }));
  const unlock = useMutation(trpc.triggers.unlock.mutationOptions({ onSuccess, onError }));
  const control = useMutation(trpc.triggers.controlBackfill.mutationOptions({ onSuccess, onError }));
  const [backfilling, setBackfilling] = useState<Trigger | undefined>();
  const [origin, setOrigin] = useState("");
  useEffect(() => setOrigin(window.location.origin), []);
  const timeZone = useTimeZone();
  const formatDate = useFormatDate();
  const triggers = (list.data ?? []) as Trigger[];

  if (list.error)
    return (
      <Card>
        <ErrorText>Could not load the triggers: {list.error.message}</ErrorText>
      </Card>
    );
  if (list.isPending) return <Empty>Loading triggers…</Empty>;
  if (triggers.length === 0)
    return (
      <Card>
        <Empty>
          No flow of this tenant has a trigger. Add a <code>triggers:</code> block (a Schedule, a Flow trigger
          or a Webhook) to a{" "}
          <Link href="/flows" className="text-brand-600 underline">
            flow
          </Link>{" "}
          and it shows up here.
        </Empty>
      </Card>
    );

  return (
    <>
      <ErrorText>{error}</ErrorText>
      <Card label="Triggers">
        <div className="overflow-x-auto">
          <table aria-label="Triggers" className="w-full text-left text-sm">
            <thead className="text-xs uppercase tracking-wide text-zinc-500">
              <tr>
                {[
                  "Flow",
                  "Trigger",
                  "Type",
                  "Next evaluation",
                  "Last triggered",
                  "Enabled",
                  "Lock",
                  "Details",
                ].map((h) => (
                  <th key={h} className="border-b border-zinc-200 py-2 pr-3 font-medium dark:border-zinc-800">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 align-top dark:divide-zinc-800">
              {triggers.map((t) => {
                const ref = { tenant, namespace: t.namespace, flowId: t.flowId, triggerId: t.triggerId };
                const mayUpdate = allowed(grants, "FLOW:UPDATE", t.namespace);
                const backfill = t.backfill as Backfill | null;
                const type = shortType(t.type);
                return (
                  <tr
                    key={`${t.namespace}/${t.flowId}/${t.triggerId}`}
                    data-trigger={`${t.flowId}.${t.triggerId}`}
                  >
                    <td className="py-2 pr-3">
                      <Link href={`/flows/${t.namespace}/${t.flowId}`} className="hover:underline">
                        <span className="text-zinc-500">{t.namespace}.</span>
                        <span className="font-medium">{t.flowId}</span>
                      </Link>
                    </td>
                    <td className="py-2 pr-3 font-mono text-xs">{t.triggerId}</td>
                    <td className="py-2 pr-3">{type}</td>
                    <td className="whitespace-nowrap py-2 pr-3" title={formatRelative(t.nextExecutionDate)}>
                      {t.nextExecutionDate ? formatDate(t.nextExecutionDate) : "—"}
                      {t.nextExecutionDate ? (
                        <span className="block text-xs text-zinc-500">
                          {formatRelative(t.nextExecutionDate)}
                        </span>
                      ) : null}
                    </td>
                    <td className="whitespace-nowrap py-2 pr-3" title={formatRelative(t.lastTriggeredDate)}>
                      {t.lastTriggeredDate ? formatDate(t.lastTriggeredDate) : "—"}
                      {t.lastTriggeredDate ? (
                        <span className="block text-xs text-zinc-500">
                          {formatRelative(t.lastTriggeredDate)}
                        </span>
                      ) : null}
                    </td>
                    <td className="py-2 pr-3">
                      <span title={mayUpdate ? undefined : needs("FLOW:UPDATE", [t.namespace])}>
                        <Switch
                          label={`Enable trigger ${t.flowId}.${t.triggerId}`}
                          on={!t.disabled}
                          disabled={!mayUpdate || toggle.isPending}
                          onChange={(on) => toggle.mutate({ ...ref, disabled: !on })}
                        />
                      </span>
                    </td>
                    <td className="py-2 pr-3">
                      {t.lockedBy ? (
                        <div className="flex items-center gap-2">
                          <span className="text-xs">
                            Held by{" "}
                            <Link
                              href={`/executions/${t.lockedBy}`}
                              className="font-mono text-brand-600 hover:underline"
                            >
                              {t.lockedBy.slice(0, 8)}
                            </Link>
                          </span>
                          <span
                            title={
                              mayUpdate
                                ? "Let the trigger fire again before that execution ends"
                                : needs("FLOW:UPDATE", [t.namespace])
                            }
                          >
                            <Button
                              variant="plain"
                              className="px-2 py-0.5 text-xs disabled:cursor-not-allowed disabled:opacity-50"
                              disabled={!mayUpdate || unlock.isPending}
                              onClick={() => unlock.mutate(ref)}
                            >
                              Unlock
                            </Button>
                          </span>
                        </div>
                      ) : (
                        <span className="text-xs text-zinc-500">—</span>
                      )}
                    </td>
                    <td className="py-2 pr-3">
                      {type === "Webhook" && t.webhookKey ? (
                        <WebhookUrl
                          url={`${origin}/api/v1/${tenant}/executions/webhook/${t.namespace}/${t.flowId}/${t.webhookKey}`}
                          hidden={t.webhookKey === HIDDEN_KEY}
                          namespace={t.namespace}
                        />
                      ) : null}
                      {type === "Schedule" ? (
                        <BackfillCell
                          backfill={backfill}
                          timeZone={timeZone}
                          mayStart={allowed(grants, "EXECUTION:CREATE", t.namespace)}
                          mayControl={allowed(grants, "EXECUTION:UPDATE", t.namespace)}
                          namespace={t.namespace}
                          pending={control.isPending}
                          onStart={() => setBackfilling(t)}
                          onControl={(action) => control.mutate({ ...ref, action })}
                        />
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Card>
      <BackfillDialog
        tenant={tenant}
        trigger={backfilling}
        onClose={() => setBackfilling(undefined)}
        onStarted={() => {
          setBackfilling(undefined);
          void refresh();
        }}
      />
    </>
  );
}

function Switch({
  on,
  disabled,
  label,
  onChange,
}: {
  on: boolean;
  disabled: boolean;
  label: string;
  onChange: (on: boolean) => void;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      aria-label={label}
      disabled={disabled}
      onClick={() => onChange(!on)}
      className={`relative inline-flex h-5 w-9 items-center rounded-full transition-colors disabled:cursor-not-allowed disabled:opacity-50 ${
        on ? "bg-emerald-500" : "bg-zinc-300 dark:bg-zinc-700"
      }`}
    >
      <span
        className={`inline-block size-4 rounded-full bg-white shadow transition-transform ${on ? "translate-x-4" : "translate-x-0.5"}`}
      />
    </button>
  );
}

function WebhookUrl({ url, hidden, namespace }: { url: string; hidden: boolean; namespace: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex w-80 items-center gap-2">
      <code
        className="min-w-0 flex-1 truncate rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800"
        title={url}
      >
        {url}
      </code>
      <span
        title={
          hidden ? `The key is shown to those with FLOW:UPDATE on namespace ${namespace}` : "Copy the URL"
        }
      >
        <Button
          variant="plain"
          className="px-2 py-0.5 text-xs disabled:cursor-not-allowed disabled:opacity-50"
          disabled={hidden}
          onClick={async () => {
            await navigator.clipboard.writeText(url);
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </span>
    </div>
  );
}

function BackfillCell({
  backfill,
  timeZone,
  mayStart,
  mayControl,
  namespace,
  pending,
  onStart,
  onControl,
}: {
  backfill: Backfill | null;
  timeZone: string;
  mayStart: boolean;
  mayControl: boolean;
  namespace: string;
  pending: boolean;
  onStart: () => void;
  onControl: (action: "pause" | "resume" | "cancel") => void;
}) {
  const running = backfill && !backfill.finishedAt && !backfill.cancelledAt;
  const startButton = (
    <span title={mayStart ? "Run the schedule over past dates" : needs("EXECUTION:CREATE", [namespace])}>
      <Button
        variant="plain"
        className="px-2 py-0.5 text-xs disabled:cursor-not-allowed disabled:opacity-50"
        disabled={!mayStart}
        onClick={onStart}
      >
        Backfill…
      </Button>
    </span>
  );
  if (!backfill) return startButton;
  const percent = backfill.total ? Math.round((backfill.done / backfill.total) * 100) : 100;
  const status = backfill.cancelledAt
    ? "cancelled"
    : backfill.finishedAt
      ? "done"
      : backfill.paused
        ? "paused"
        : "running";
  const controlTitle = mayControl ? undefined : needs("EXECUTION:UPDATE", [namespace]);
  return (
    <section className="w-64 space-y-1" aria-label="Backfill">
      <div className="flex justify-between text-xs text-zinc-600 dark:text-zinc-400">
        <span>
          Backfill {formatSortable(backfill.start, timeZone, { seconds: false })} →{" "}
          {formatSortable(backfill.end, timeZone, { seconds: false })}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label="Backfill progress"
        aria-valuemin={0}
        aria-valuemax={backfill.total}
        aria-valuenow={backfill.done}
        aria-valuetext={`${backfill.done}/${backfill.total}`}
        className="h-2 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800"
      >
        <div
          className={`h-full transition-all ${status === "cancelled" ? "bg-zinc-400" : status === "paused" ? "bg-amber-500" : "bg-brand-600"}`}
          style={{ width: `${percent}%` }}
        />
      </div>
      <div className="flex items-center gap-2 text-xs">
        <span className="tabular-nums" data-testid="backfill-progress">
          {backfill.done}/{backfill.total}
        </span>
        <span className="text-zinc-500">{status}</span>
        <span className="ml-auto flex gap-1" title={controlTitle}>
          {running ? (
            <>
              <Button
                variant="plain"
                className="px-2 py-0.5 text-xs disabled:cursor-not-allowed disabled:opacity-50"
                disabled={!mayControl || pending}
                onClick={() => onControl(backfill.paused ? "resume" : "pause")}
              >
                {backfill.paused ? "Resume" : "Pause"}
              </Button>
              <Button
                variant="danger"
                className="px-2 py-0.5 text-xs disabled:cursor-not-allowed disabled:opacity-50"
                disabled={!mayControl || pending}
                onClick={() => onControl("cancel")}
              >
                Cancel
              </Button>
            </>
          ) : (
            startButton
          )}
        </span>
      </div>
    </section>
  );
}

function BackfillDialog({
  tenant,
  trigger,
  onClose,
  onStarted,
}: {
  tenant: string;
  trigger: Trigger | undefined;
  onClose: () => void;
  onStarted: () => void;
}) {
  const trpc = useTRPC();
  const timeZone = useTimeZone();
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [inputs, setInputs] = useState("");
  const [labels, setLabels] = useState("");
  const [problem, setProblem] = useState<string | undefined>();
  const create = useMutation(trpc.triggers.backfill.mutationOptions({ onSuccess: onStarted }));
  const { reset } = create;
  useEffect(() => {
    if (!trigger) return;
    const now = new Date();
    setStart(toZonedInput(now.getTime() - 86_400_000, timeZone, { seconds: false }));
    setEnd(toZonedInput(now, timeZone, { seconds: false }));
    setInputs("");
    setLabels("");
    setProblem(undefined);
    reset();
  }, [trigger, reset, timeZone]);
  return (
    <Dialog
      open={trigger !== undefined}
      title={trigger ? `Backfill ${trigger.flowId}.${trigger.triggerId}` : ""}
      onClose={onClose}
    >
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (!trigger) return;
          let parsed: Record<string, unknown> | undefined;
          if (inputs.trim()) {
            try {
              parsed = JSON.parse(inputs) as Record<string, unknown>;
              if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error();
            } catch {
              setProblem('Inputs must be a JSON object, e.g. {"region": "eu"}.');
              return;
            }
          }
          const from = new Date(fromZonedInput(start, timeZone));
          const to = new Date(fromZonedInput(end, timeZone));
          if (!(from < to)) {
            setProblem("The start must be before the end.");
            return;
          }
          setProblem(undefined);
          const given = parseLabels(labels);
          create.mutate({
            tenant,
            namespace: trigger.namespace,
            flowId: trigger.flowId,
            triggerId: trigger.triggerId,
            start: from,
            end: to,
            ...(parsed ? { inputs: parsed } : {}),
            ...(given.length ? { labels: given } : {}),
          });
        }}
      >
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          One execution per schedule date in [start, end), in your time zone ({timeZone}).
        </p>
        <div className="grid grid-cols-2 gap-3">
          <Field label="Start">
            <Input type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} required />
          </Field>
          <Field label="End">
            <Input type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} required />
          </Field>
        </div>
        <Field label="Inputs (JSON, optional)">
          <textarea
            value={inputs}
            onChange={(e) => setInputs(e.target.value)}
            rows={3}
            placeholder='{"region": "eu"}'
            className="rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-950"
          />
        </Field>
        <Field label="Labels (key:value, optional)">
          <Input value={labels} onChange={(e) => setLabels(e.target.value)} placeholder="backfill:true" />
        </Field>
        <ErrorText>{problem ?? create.error?.message}</ErrorText>
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="plain" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Starting…" : "Start backfill"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
