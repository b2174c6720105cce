import {
  Client,
  Connection,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
} from "@temporalio/client";
import type { Execution, ExecutionEvent, ExecutionRequest } from "@/engine/executor";
import type { Flow } from "@/engine/flow";
import type { EngineContext } from "../embedded/context";
import { loadExecution } from "../embedded/execution-store";
import { createStoredExecution } from "./activities/store";
import {
  EVENT_SIGNAL,
  type ExecutionWorkflowInput,
  OPERATE_UPDATE,
  taskQueueOf,
  WORKFLOW_TYPE,
  workflowIdOf,
} from "./names";

/** Starts, operates and waits for executions run as Temporal workflows; reads them from PostgreSQL. */
export class TemporalEngineClient {
  private constructor(
    private readonly ctx: EngineContext,
    readonly client: Client,
    private readonly connection: Connection,
  ) {}

  static async connect(ctx: EngineContext, options: { address: string; namespace: string }) {
    const connection = await Connection.connect({ address: options.address });
    return new TemporalEngineClient(
      ctx,
      new Client({ connection, namespace: options.namespace }),
      connection,
    );
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  private async run(tenantId: string, input: ExecutionWorkflowInput) {
    await this.client.workflow.start(WORKFLOW_TYPE, {
      workflowId: workflowIdOf(tenantId, input.executionId),
      taskQueue: taskQueueOf(tenantId),
      args: [input],
      // A restart runs the same execution again: a new run of the same workflow id.
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
  }

  /** Creates the execution (inputs validated: throws InputValidationError), stores it, starts its workflow. */
  async start(tenantId: string, flow: Flow, request: ExecutionRequest = {}): Promise<Execution> {
    const execution = await createStoredExecution(this.ctx, tenantId, flow, request);
    try {
      await this.run(tenantId, { tenantId, executionId: execution.id, event: { type: "start" } });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    return execution;
  }

  /**
   * Kill, pause, resume (with inputs), restart: an update, so a refused operation (resuming a running
   * execution) throws here. A restart of an execution whose workflow has finished starts a new run.
   */
  async operate(tenantId: string, executionId: string, event: ExecutionEvent): Promise<void> {
    const handle = this.client.workflow.getHandle(workflowIdOf(tenantId, executionId));
    const running = await handle.describe().then(
      (d) => d.status.name === "RUNNING",
      (error) => {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      },
    );
    if (!running && event.type === "restart") {
      await this.run(tenantId, { tenantId, executionId, event: { type: "restart" } });
      return;
    }
    await handle.executeUpdate(OPERATE_UPDATE, { args: [event] });
  }

  /** Kill without waiting for the workflow to take it (a signal): for a caller that is giving up on it. */
  async kill(tenantId: string, executionId: string): Promise<void> {
    await this.client.workflow
      .getHandle(workflowIdOf(tenantId, executionId))
      .signal(EVENT_SIGNAL, { type: "kill" });
  }

  /** The execution once its workflow has finished, or as it is after `timeoutMs`. */
  async waitForEnd(tenantId: string, executionId: string, timeoutMs: number): Promise<Execution> {
    const handle = this.client.workflow.getHandle(workflowIdOf(tenantId, executionId));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      handle.result().catch(() => undefined),
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    const stored = await loadExecution(this.ctx.pool, executionId);
    if (!stored) throw new Error(`execution ${executionId} not found`);
    return stored.execution;
  }
}
