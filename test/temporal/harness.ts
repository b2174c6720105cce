import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Connection, Client as TemporalClient, WorkflowIdReusePolicy } from "@temporalio/client";
import type { Execution, ExecutionEvent } from "@/engine/executor";
import { loadFlow } from "@/engine/flow";
import { ensureDefaultTenant, openServerEngine, type ServerEngine } from "@/server/engine";
import { saveFlowRevision, withTransaction } from "@/worker/embedded";
import { loadExecution } from "@/worker/embedded/execution-store";
import { TemporalEngineClient, taskQueueOf, workflowIdOf } from "@/worker/temporal";
import { type ExecutionWorkflowInput, OPERATE_UPDATE, WORKFLOW_TYPE } from "@/worker/temporal/names";

/**
 * What the durability tests, the history recorder and the bench share: an engine on a database (the read
 * model and the client's side), flows stored as revisions, Temporal workers in processes of their own
 * (so a test can SIGKILL one), and waits that read the execution as the UI does, from PostgreSQL.
 */
const workerEntry = fileURLToPath(new URL("./worker-process.mjs", import.meta.url));

export interface TemporalSide {
  address: string;
  namespace: string;
}

export interface Harness {
  engine: ServerEngine;
  tenantId: string;
  client: TemporalEngineClient;
  temporal: TemporalClient;
  /** Stores a flow (YAML) as a revision and returns it as stored. */
  deploy(yaml: string): Promise<void>;
  /** Creates and starts an execution of a stored flow; returns its id. */
  start(namespace: string, flowId: string, inputs?: Record<string, unknown>): Promise<string>;
  /**
   * Kill, pause, resume, restart, as the API does it: the workflow's update, or, for a restart of an
   * execution whose workflow has finished, a new run of the same workflow id.
   */
  operate(executionId: string, event: ExecutionEvent): Promise<void>;
  read(executionId: string): Promise<Execution>;
  /** Polls the read model until `until` holds (or throws after `timeoutMs`). */
  waitFor(executionId: string, until: (e: Execution) => boolean, timeoutMs: number): Promise<Execution>;
  close(): Promise<void>;
}

export async function openHarness(options: {
  databaseUrl: string;
  dataDir: string;
  temporal: TemporalSide;
  /** Light tasks inline (local activities in Temporal mode); default true, as CADENZA_INLINE_TASKS. */
  inlineTasks?: boolean;
  /** Connections to PostgreSQL (default 5, for tests running side by side; a server's default is 20). */
  poolSize?: number;
}): Promise<Harness> {
  const engine = await openServerEngine({
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    poolSize: options.poolSize ?? 5,
    ...(options.inlineTasks === undefined ? {} : { inlineTasks: options.inlineTasks }),
    report: () => {},
  });
  const tenantId = await ensureDefaultTenant(engine);
  const client = await TemporalEngineClient.connect(engine.ctx, options.temporal);
  const connection = await Connection.connect({ address: options.temporal.address });
  const temporal = new TemporalClient({ connection, namespace: options.temporal.namespace });
  const read = async (executionId: string) => {
    const found = await loadExecution(engine.ctx.pool, executionId);
    if (!found) throw new Error(`execution ${executionId} not found`);
    return found.execution;
  };
  return {
    engine,
    tenantId,
    client,
    temporal,
    async deploy(yaml) {
      const { flow, errors } = loadFlow(yaml, { registry: engine.ctx.registry });
      if (!flow) throw new Error(errors.map((e) => e.message).join("; "));
      await withTransaction(engine.ctx.pool, (db) =>
        saveFlowRevision(db, engine.ctx.registry, tenantId, flow, yaml),
      );
    },
    async start(namespace, flowId, inputs = {}) {
      const flow = await engine.ctx.flows.current(engine.ctx.pool, tenantId, namespace, flowId);
      if (!flow) throw new Error(`flow ${namespace}.${flowId} is not stored`);
      return (await client.start(tenantId, flow, { inputs })).id;
    },
    async operate(executionId, event) {
      const workflowId = workflowIdOf(tenantId, executionId);
      const handle = temporal.workflow.getHandle(workflowId);
      if ((await handle.describe()).status.name === "RUNNING")
        await handle.executeUpdate(OPERATE_UPDATE, { args: [event] });
      else if (event.type === "restart") {
        const input: ExecutionWorkflowInput = { tenantId, executionId, event: { type: "restart" } };
        await temporal.workflow.start(WORKFLOW_TYPE, {
          workflowId,
          taskQueue: taskQueueOf(tenantId),
          args: [input],
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        });
      } else throw new Error(`execution ${executionId} has ended`);
    },
    read,
    async waitFor(executionId, until, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const execution = await read(executionId);
        if (until(execution)) return execution;
        if (Date.now() > deadline)
          throw new Error(
            `execution ${executionId} still ${execution.state.current} after ${timeoutMs} ms: ${JSON.stringify(
              execution.taskRunList.map((r) => [r.taskId, r.state.current, r.attempts.length]),
            )}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async close() {
      await connection.close();
      await client.close().catch(() => undefined);
      await engine.close();
    },
  };
}

/** Whether the execution's workflow has an activity a worker has picked up (started, not finished). */
export async function activityStarted(h: Harness, executionId: string): Promise<boolean> {
  const described = await h.temporal.workflow.getHandle(workflowIdOf(h.tenantId, executionId)).describe();
  // PendingActivityState.STARTED
  return (described.raw.pendingActivities ?? []).some((a) => a.state === 2);
}

export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Starts polling (the process is warm already); resolves once it polls. */
  go(): Promise<void>;
  /** SIGKILL: the worker dies at once, mid-whatever, as on a machine loss. */
  kill(): Promise<void>;
  /** SIGTERM: a graceful stop (clean-up). */
  stop(): Promise<void>;
}

/**
 * Starts a Temporal worker for the `main` tenant in a child process and resolves once it is warm
 * (imported, bundled, connected to the database) but not yet polling: `go()` makes it poll.
 */
export async function startWorkerProcess(options: {
  databaseUrl: string;
  dataDir: string;
  temporal: TemporalSide;
}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [workerEntry], {
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      CADENZA_DATA_DIR: options.dataDir,
      TEMPORAL_ADDRESS: options.temporal.address,
      TEMPORAL_NAMESPACE: options.temporal.namespace,
    },
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  const said = (word: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (out.includes(word)) resolve();
      };
      child.stdout?.on("data", check);
      check();
      child.once("exit", (code, signal) => reject(new Error(`worker process exited (${code ?? signal})`)));
    });
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  await said("warm");
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  return {
    child,
    async go() {
      child.stdin?.write("go\n");
      await said("ready");
    },
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
