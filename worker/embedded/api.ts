import type { PoolClient } from "pg";
import {
  type Execution,
  type ExecutionEvent,
  ExecutionOperationError,
  type ExecutionRequest,
  type ExecutionValidation,
  isTerminal,
  replayExecution,
} from "@/engine/executor";
import { renderTreeAsync } from "@/engine/expr";
import type { Flow } from "@/engine/flow";
import { allConditionsHold } from "@/engine/triggers";
import type { LogEntry } from "../logs";
import type { SubflowCall } from "../subflow-function";
import {
  applyEvent,
  applyEventInTransaction,
  createAndStart,
  ExecutionNotFoundError,
  validateInputs,
  validateResume,
} from "./apply";
import { claimBackfill, newBackfill } from "./backfill-start";
import type { EngineContext } from "./context";
import { withTransaction } from "./db";
import { insertExecution, loadExecution } from "./execution-store";
import { ENDED_CHANNEL } from "./jobs";
import { markReplayed } from "./replayed";
import type { Backfill } from "./scheduler";
import { disabledTriggers } from "./services";

/** The flow does not exist in this tenant (or is deleted). */
export class FlowNotFoundError extends Error {
  constructor(namespace: string, flowId: string) {
    super(`flow ${namespace}.${flowId} not found`);
    this.name = "FlowNotFoundError";
  }
}

export interface WebhookRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string | string[] | undefined>;
  body?: string;
}

export type WebhookResult =
  | { status: "not-found" }
  | { status: "conditions-not-met" }
  | { status: "started"; execution: Execution; wait: boolean; returnOutputs: boolean };

const asList = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * How executions are run: what differs between the embedded engine (PostgreSQL queue) and the Temporal
 * driver (workflows) behind the same EngineClient. Both keep the read model in PostgreSQL, so reads
 * (get, logs, waitForEnd, backfills...) are the client's own.
 */
export interface ExecutionRunner {
  /** Creates an execution (inputs validated: throws InputValidationError) and starts it (at `startAt`). */
  createAndStart(
    tenantId: string,
    flow: Flow,
    request: ExecutionRequest,
    options: { startAt?: Date },
  ): Promise<Execution>;
  /** Applies an operation to an execution of the tenant; throws ExecutionOperationError when refused. */
  operate(tenantId: string, id: string, event: ExecutionEvent): Promise<void>;
  /** Stores a new execution made outside the executor's run (a replay) and starts it. */
  startNew(tenantId: string, execution: Execution): Promise<void>;
  /**
   * Resolves once the engine is done with an ended execution (its "ended" work: Flow triggers, queued
   * executions), or after `timeoutMs`. The embedded engine has none to wait for (a job of its own).
   */
  settled?(tenantId: string, id: string, timeoutMs: number): Promise<void>;
}

/** The embedded engine's runner: each operation is a transaction of its own (apply.ts). */
export function embeddedRunner(ctx: EngineContext): ExecutionRunner {
  return {
    async createAndStart(tenantId, flow, request, options) {
      return (await createAndStart(
        ctx,
        tenantId,
        flow,
        request,
        options.startAt ? { startAt: options.startAt } : {},
      )) as Execution;
    },
    async operate(_tenantId, id, event) {
      await applyEvent(ctx, id, event);
    },
    async startNew(tenantId, execution) {
      await withTransaction(ctx.pool, async (client) => {
        await insertExecution(client, tenantId, execution);
        await applyEventInTransaction(ctx, client, execution.id, { type: "start" });
      });
    },
  };
}

/**
 * What the rest of Cadenza (the service layer, the CLI, tests) asks of the engine. Every call names the
 * tenant: an execution of another tenant is "not found". `runner` is the engine that runs executions
 * (embedded by default; worker/temporal's `temporalRunner` in Temporal mode).
 */
export class EngineClient {
  readonly runner: ExecutionRunner;

  constructor(
    readonly ctx: EngineContext,
    runner?: ExecutionRunner,
  ) {
    this.runner = runner ?? embeddedRunner(ctx);
    ctx.runSubflow = (tenantId, call) => this.runSubflow(tenantId, call);
  }

  /**
   * subflow(): an execution of the flow (of the tenant, at a revision when given) started through this
   * client's runner, so in Temporal mode a workflow, in its own committed creation, then waited for with
   * waitForEnd (the "ended" notification, else polling) until `timeoutMs`.
   */
  private async runSubflow(tenantId: string, call: SubflowCall): Promise<Execution> {
    const name = `'${call.namespace}'.'${call.id}'`;
    const flow = await this.flow(tenantId, call.namespace, call.id, call.revision).catch((error) => {
      if (!(error instanceof FlowNotFoundError)) throw error;
      throw new Error(
        `Unable to find flow ${name}${call.revision !== undefined ? ` with revision ${call.revision}` : ""}`,
      );
    });
    if (flow.disabled) throw new Error(`Cannot execute flow ${name}: it is disabled`);
    const started = await this.runner.createAndStart(
      tenantId,
      flow,
      { inputs: call.inputs, labels: call.labels },
      {},
    );
    const ended = await this.waitForEnd(tenantId, started.id, call.timeoutMs);
    if (!isTerminal(ended.state.current))
      throw new Error(`execution ${started.id} did not end within ${call.timeoutMs} ms`);
    return ended;
  }

  private async flow(tenantId: string, namespace: string, flowId: string, revision?: number): Promise<Flow> {
    const { ctx } = this;
    const flow =
      revision === undefined
        ? await ctx.flows.current(ctx.pool, tenantId, namespace, flowId)
        : await ctx.flows.revision(ctx.pool, tenantId, namespace, flowId, revision).catch(() => undefined);
    if (!flow) throw new FlowNotFoundError(namespace, flowId);
    return flow;
  }

  /** Validates inputs (InputValidationError when they are wrong: nothing is created) and starts an execution. */
  async start(
    tenantId: string,
    namespace: string,
    flowId: string,
    request: ExecutionRequest = {},
    options: { revision?: number; startAt?: Date } = {},
  ): Promise<Execution> {
    const flow = await this.flow(tenantId, namespace, flowId, options.revision);
    return this.runner.createAndStart(
      tenantId,
      flow,
      request,
      options.startAt ? { startAt: options.startAt } : {},
    );
  }

  /** Each input of the flow as these values would make it (Kestra's validate): nothing is created. */
  async validateInputs(
    tenantId: string,
    namespace: string,
    flowId: string,
    request: ExecutionRequest = {},
    options: { revision?: number } = {},
  ): Promise<{ flow: Flow } & ExecutionValidation> {
    const flow = await this.flow(tenantId, namespace, flowId, options.revision);
    return { flow, ...(await validateInputs(this.ctx, tenantId, flow, request)) };
  }

  /** What resuming a paused execution with these inputs would make of its onResume inputs (nothing changes). */
  async validateResume(tenantId: string, id: string, inputs: Record<string, unknown>) {
    const execution = await this.get(tenantId, id);
    if (!execution) throw new ExecutionNotFoundError(id);
    const flow = await this.flow(tenantId, execution.namespace, execution.flowId, execution.flowRevision);
    return { flow, ...(await validateResume(this.ctx, tenantId, flow, execution, inputs)) };
  }

  async get(tenantId: string, id: string): Promise<Execution | undefined> {
    const stored = await loadExecution(this.ctx.pool, id);
    return stored && stored.tenantId === tenantId ? stored.execution : undefined;
  }

  private async owned(tenantId: string, id: string): Promise<void> {
    if (!(await this.get(tenantId, id))) throw new ExecutionNotFoundError(id);
  }

  /**
   * kill / pause / resume / review an Approval / restart / change a task run's state / force a start past the
   * concurrency limit / change an ended execution's status. Throws ExecutionOperationError when the execution's state forbids it.
   */
  async operate(
    tenantId: string,
    id: string,
    event: Extract<
      ExecutionEvent,
      {
        type:
          | "kill"
          | "pause"
          | "resume"
          | "review"
          | "restart"
          | "changeTaskRunState"
          | "start"
          | "changeStatus";
      }
    >,
  ): Promise<Execution> {
    await this.owned(tenantId, id);
    // An ended execution has no run to ask in any mode (a Temporal workflow has closed): its new status is
    // applied to the stored execution, under its row lock, like every embedded event.
    if (event.type === "changeStatus") await applyEvent(this.ctx, id, event);
    else await this.runner.operate(tenantId, id, event);
    const after = await this.get(tenantId, id);
    if (!after) throw new ExecutionNotFoundError(id);
    return after;
  }

  /** A new execution re-running from a task run, with new inputs when given. */
  async replay(
    tenantId: string,
    id: string,
    taskRunId: string,
    inputs?: Record<string, unknown>,
  ): Promise<Execution> {
    const { ctx } = this;
    const original = await this.get(tenantId, id);
    if (!original) throw new ExecutionNotFoundError(id);
    const flow = await ctx.flows.revision(
      ctx.pool,
      tenantId,
      original.namespace,
      original.flowId,
      original.flowRevision,
    );
    const fresh = await replayExecution(
      flow,
      original,
      taskRunId,
      {
        now: ctx.now,
        random: ctx.random,
        newId: ctx.newId,
        registry: ctx.registry,
        // New inputs are rendered as a start's are (an input's expression may call kv() or subflow()).
        functions: ctx.functions(ctx.pool, tenantId),
        ...(ctx.inputCipher ? { inputCipher: ctx.inputCipher } : {}),
      },
      { inputs },
    );
    await this.runner.startNew(tenantId, fresh);
    await markReplayed(ctx.pool, tenantId, id);
    return (await this.get(tenantId, fresh.id)) ?? fresh;
  }

  /** One LISTEN connection shared by every waiter of this client, opened on first use. */
  #listener?: Promise<PoolClient>;
  readonly #waiters = new Map<string, Set<() => void>>();

  private listen(): Promise<PoolClient> {
    this.#listener ??= (async () => {
      const client = await this.ctx.pool.connect();
      client.on("notification", (message) => {
        for (const wake of this.#waiters.get(message.payload ?? "") ?? []) wake();
      });
      await client.query(`listen ${ENDED_CHANNEL}`);
      return client;
    })();
    return this.#listener;
  }

  /** Releases the LISTEN connection (waiters still pending fall back to polling). */
  async close(): Promise<void> {
    const listener = this.#listener;
    this.#listener = undefined;
    if (!listener) return;
    const client = await listener.catch(() => undefined);
    if (!client) return;
    await client.query(`unlisten ${ENDED_CHANNEL}`).catch(() => {});
    client.release();
  }

  /** Resolves with the execution once it has ended (or as it is when `timeoutMs` passes). */
  async waitForEnd(tenantId: string, id: string, timeoutMs = 60_000): Promise<Execution> {
    await this.listen().catch(() => undefined);
    const deadline = Date.now() + timeoutMs;
    let wake: () => void = () => {};
    const waiter = () => wake();
    const set = this.#waiters.get(id) ?? new Set();
    set.add(waiter);
    this.#waiters.set(id, set);
    try {
      for (;;) {
        const execution = await this.get(tenantId, id);
        if (!execution) throw new ExecutionNotFoundError(id);
        if (isTerminal(execution.state.current) && this.runner.settled) {
          await this.runner.settled(tenantId, id, Math.max(0, deadline - Date.now()));
          return (await this.get(tenantId, id)) ?? execution;
        }
        if (isTerminal(execution.state.current) || Date.now() >= deadline) return execution;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(1_000, Math.max(0, deadline - Date.now())));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      set.delete(waiter);
      if (set.size === 0) this.#waiters.delete(id);
    }
  }

  async logs(
    tenantId: string,
    executionId: string,
    filter: { minLevel?: string; taskId?: string } = {},
  ): Promise<LogEntry[]> {
    await this.owned(tenantId, executionId);
    const levels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"];
    const allowed = levels.slice(Math.max(0, levels.indexOf(filter.minLevel ?? "TRACE")));
    const result = await this.ctx.pool.query(
      `select execution_id as "executionId", namespace, flow_id as "flowId", task_id as "taskId", task_run_id as "taskRunId",
         attempt_number as "attemptNumber", trigger_id as "triggerId", level, message, timestamp
       from log_entries where tenant_id = $1 and execution_id = $2 and level = any($3::log_level[]) and ($4::text is null or task_id = $4)
       order by timestamp, id`,
      [tenantId, executionId, allowed, filter.taskId ?? null],
    );
    return result.rows.map((row) => ({
      ...row,
      timestamp: (row.timestamp as Date).toISOString(),
    })) as LogEntry[];
  }

  // ------------------------------------------------------------------ backfills

  /** Starts a backfill of a Schedule trigger over [start, end): one execution per schedule tick. */
  async startBackfill(
    tenantId: string,
    ref: { namespace: string; flowId: string; triggerId: string },
    options: {
      start: Date;
      end: Date;
      inputs?: Record<string, unknown>;
      labels?: { key: string; value: string }[];
    },
  ): Promise<Backfill> {
    const flow = await this.flow(tenantId, ref.namespace, ref.flowId);
    const { backfill } = newBackfill(this.ctx.registry, flow, ref, options);
    await claimBackfill(this.ctx.pool, tenantId, ref, backfill);
    return backfill;
  }

  async backfill(
    tenantId: string,
    ref: { namespace: string; flowId: string; triggerId: string },
  ): Promise<Backfill | undefined> {
    const result = await this.ctx.pool.query(
      "select backfill from trigger_states where tenant_id = $1 and namespace = $2 and flow_id = $3 and trigger_id = $4",
      [tenantId, ref.namespace, ref.flowId, ref.triggerId],
    );
    return (result.rows[0] as { backfill: Backfill | null } | undefined)?.backfill ?? undefined;
  }

  /** Pauses, resumes or cancels a backfill; returns it as it is now. */
  async controlBackfill(
    tenantId: string,
    ref: { namespace: string; flowId: string; triggerId: string },
    action: "pause" | "resume" | "cancel",
  ): Promise<Backfill> {
    const current = await this.backfill(tenantId, ref);
    if (!current || current.finishedAt || current.cancelledAt)
      throw new ExecutionOperationError("no backfill is running for this trigger", "INVALID_STATE");
    const next: Backfill =
      action === "cancel"
        ? { ...current, cancelledAt: this.ctx.now().toISOString() }
        : { ...current, paused: action === "pause" };
    await this.ctx.pool.query(
      "update trigger_states set backfill = $5, updated_at = now() where tenant_id = $1 and namespace = $2 and flow_id = $3 and trigger_id = $4",
      [tenantId, ref.namespace, ref.flowId, ref.triggerId, JSON.stringify(next)],
    );
    return next;
  }

  // ------------------------------------------------------------------ webhooks

  /**
   * A webhook call: finds the flow by tenant, namespace and id and a Webhook trigger whose key matches
   * (any mismatch is "not-found", so keys cannot be probed), checks the trigger's conditions and starts an
   * execution with `trigger.body`, `trigger.headers` and `trigger.parameters`. When the trigger has
   * `wait: true`, resolves once the execution has ended (or `waitTimeoutMs` passed) with it as it is then.
   */
  async webhook(
    tenantId: string,
    namespace: string,
    flowId: string,
    key: string,
    request: WebhookRequest,
    options: { waitTimeoutMs?: number } = {},
  ): Promise<WebhookResult> {
    const { ctx } = this;
    const flow = await ctx.flows.current(ctx.pool, tenantId, namespace, flowId).catch(() => undefined);
    if (!flow || flow.disabled) return { status: "not-found" };
    const flowVariables = { flow: { id: flow.id, namespace: flow.namespace, revision: flow.revision } };
    const disabled = await disabledTriggers(ctx.pool, tenantId);
    let trigger: Flow["triggers"][number] | undefined;
    for (const candidate of flow.triggers) {
      if (candidate.disabled || disabled.has(`${flow.namespace}/${flow.id}/${candidate.id}`)) continue;
      if (ctx.registry.get(candidate.type)?.type !== "core.trigger.Webhook") continue;
      // The key may be an expression, e.g. `{{ secret('WEBHOOK_KEY') }}` (Kestra's advice): rendered with the
      // expression functions. One that fails to render matches nothing (never its own unrendered text).
      const expected = await renderTreeAsync(candidate.key, flowVariables, {
        functions: ctx.functions(ctx.pool, tenantId),
        now: () => ctx.now(),
        random: () => ctx.random(),
      }).then(String, () => undefined);
      if (expected !== undefined && timingSafeEqualText(expected, key)) {
        trigger = candidate;
        break;
      }
    }
    if (!trigger) return { status: "not-found" };
    let body: unknown = request.body;
    if (typeof request.body === "string" && request.body.length > 0) {
      try {
        body = JSON.parse(request.body);
      } catch {
        body = request.body;
      }
    }
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), asList(v)]),
    );
    const parameters = Object.fromEntries(Object.entries(request.query).map(([k, v]) => [k, asList(v)]));
    const variables = { body: body ?? null, headers, parameters };
    const scope = {
      registry: ctx.registry,
      flow: { namespace: flow.namespace, id: flow.id },
      now: ctx.now(),
      random: () => ctx.random(),
      variables: { ...flowVariables, trigger: variables },
      functions: ctx.functions(ctx.pool, tenantId),
    };
    if (!(await allConditionsHold(trigger.conditions, scope, trigger.when)))
      return { status: "conditions-not-met" };
    const inputs = (await renderTreeAsync(
      trigger.inputs ?? {},
      { ...flowVariables, trigger: variables },
      { now: () => ctx.now(), random: () => ctx.random() },
    )) as Record<string, unknown>;
    const started = await this.runner.createAndStart(
      tenantId,
      flow,
      { inputs, labels: trigger.labels, trigger: { id: trigger.id, type: trigger.type, variables } },
      {},
    );
    const wait = trigger.wait === true;
    const execution = wait
      ? await this.waitForEnd(tenantId, started.id, options.waitTimeoutMs ?? 60_000)
      : started;
    return {
      status: "started",
      execution,
      wait,
      returnOutputs: trigger.returnOutputs === true,
    };
  }
}

/** Compares two strings in time independent of where they differ (webhook keys are credentials). */
function timingSafeEqualText(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < length; i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}
