import { Client, type Connection } from "@temporalio/client";
import type { Execution, ExecutionEvent, ExecutionRequest } from "@/engine/executor";
import type { Flow } from "@/engine/flow";
import type { EngineContext } from "../embedded/context";
import { loadExecution } from "../embedded/execution-store";
import { createStoredExecution } from "./activities/store";
import { clientConnection, type TemporalConnectionOptions } from "./connection";
import { workflowIdOf } from "./names";
import { operateRun, signalKill, startRun } from "./runs";

/** Starts, operates and waits for executions run as Temporal workflows; reads them from PostgreSQL. */
export class TemporalEngineClient {
  private constructor(
    private readonly ctx: EngineContext,
    readonly client: Client,
    private readonly connection: Connection,
  ) {}

  static async connect(ctx: EngineContext, options: TemporalConnectionOptions) {
    const connection = await clientConnection(options);
    return new TemporalEngineClient(
      ctx,
      new Client({ connection, namespace: options.namespace }),
      connection,
    );
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  /** Creates the execution (inputs validated: throws InputValidationError), stores it, starts its workflow. */
  async start(tenantId: string, flow: Flow, request: ExecutionRequest = {}): Promise<Execution> {
    const { execution } = await createStoredExecution(this.ctx, tenantId, flow, request);
    await startRun(this.client, { tenantId, executionId: execution.id, event: { type: "start" } });
    return execution;
  }

  /**
   * Kill, pause, resume (with inputs), restart: an update, so a refused operation (resuming a running
   * execution) throws ExecutionOperationError here. A restart of an execution whose workflow has finished
   * starts a new run.
   */
  operate(tenantId: string, executionId: string, event: ExecutionEvent): Promise<void> {
    return operateRun(
      this.client,
      tenantId,
      executionId,
      event,
      async () => (await loadExecution(this.ctx.pool, executionId))?.execution,
    );
  }

  /** Kill without waiting for the workflow to take it (a signal): for a caller that is giving up on it. */
  kill(tenantId: string, executionId: string): Promise<void> {
    return signalKill(this.client, tenantId, executionId);
  }

  /** The execution once its workflow has finished, or as it is after `timeoutMs`. */
  async waitForEnd(tenantId: string, executionId: string, timeoutMs: number): Promise<Execution> {
    const handle = this.client.workflow.getHandle(workflowIdOf(tenantId, executionId));
    // Aborted at the timeout, not abandoned: a long poll left in flight retries on a closed connection.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    await this.client.withAbortSignal(abort.signal, () => handle.result()).catch(() => undefined);
    clearTimeout(timer);
    const stored = await loadExecution(this.ctx.pool, executionId);
    if (!stored) throw new Error(`execution ${executionId} not found`);
    return stored.execution;
  }
}
