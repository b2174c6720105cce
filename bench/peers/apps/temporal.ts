/**
 * Plain Temporal's bench app (bench/peers/protocol.ts): the hand-written workflows of bench/temporal-plain
 * on the dev server at BENCH_TEMPORAL_ADDRESS, their worker and client in this process. Each step is a
 * regular activity (the durable unit a Temporal user writes); a step's times come from the workflow's
 * history (ActivityTaskScheduled / Started / Completed). Temporal has no HTTP ingress of its own for
 * starting workflows: workload 3 goes through this app's HTTP route, which starts the workflow with the
 * client and answers with its result.
 */
import { fileURLToPath } from "node:url";
import { Client, Connection } from "@temporalio/client";
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from "@temporalio/worker";
import { burstOf, type StepTimes, serveApp, timed, timedResult } from "../protocol";

const address = process.env.BENCH_TEMPORAL_ADDRESS ?? "";
const namespace = "default";
const taskQueue = "bench-peers-plain";

Runtime.install({ logger: new DefaultLogger("WARN") });
const workerConnection = await NativeConnection.connect({ address });
const worker = await Worker.create({
  connection: workerConnection,
  namespace,
  taskQueue,
  workflowBundle: await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL("../../temporal-plain/workflows.ts", import.meta.url)),
    logger: new DefaultLogger("WARN"),
  }),
  activities: { noop: async (index: number) => `noop ${index}` },
  maxConcurrentActivityTaskExecutions: 10,
});
const running = worker.run();
const connection = await Connection.connect({ address });
const client = new Client({ connection, namespace });
let next = 0;
const execute = (workflow: string, args: unknown[]) => {
  const workflowId = `plain-${process.pid}-${++next}`;
  return client.workflow.execute(workflow, { taskQueue, workflowId, args }).then(() => workflowId);
};

const millis = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

await serveApp(
  {
    async chain(n) {
      const { value: workflowId, ms } = await timedResult(() => execute("plainChain", [n]));
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      const scheduled = new Map<number, StepTimes>();
      const started = new Map<number, number>();
      const steps: StepTimes[] = [];
      for (const event of history.events ?? []) {
        const at = millis(event.eventTime);
        if (event.activityTaskScheduledEventAttributes)
          scheduled.set(Number(event.eventId), { created: at, started: at, ended: at });
        const start = event.activityTaskStartedEventAttributes;
        if (start) {
          const step = scheduled.get(Number(start.scheduledEventId));
          if (step) step.started = at;
          started.set(Number(event.eventId), Number(start.scheduledEventId));
        }
        const done = event.activityTaskCompletedEventAttributes;
        if (done) {
          const step = scheduled.get(Number(done.scheduledEventId));
          if (step) {
            step.ended = at;
            steps.push(step);
          }
        }
      }
      return { steps, ms };
    },
    three: () => timed(() => execute("plainChain", [3])),
    burst: (count) => burstOf(count, () => execute("plainChain", [3])),
    routes: {
      "/kestra/two": () => execute("kestraTwo", ["World"]),
      "/kestra/ifs": () => execute("kestraIfs", []),
      "/kestra/loop": () => execute("plainChain", [100]),
    },
    async close() {
      worker.shutdown();
      await running;
      await workerConnection.close();
      await connection.close();
    },
  },
  (base) => ({
    system: "plain Temporal",
    ingress: { two: `${base}/kestra/two`, ifs: `${base}/kestra/ifs`, loop: `${base}/kestra/loop` },
  }),
);
