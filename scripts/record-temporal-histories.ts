/**
 * Records the Temporal histories the replay test (test/temporal/replay.test.ts) replays:
 * `npm run temporal:record-histories`. Runs every conformance case, and a few operations the corpus does
 * not cover (resume, kill, restart, a subflow restarted with its parent, a subflow's scheduleDate, a timed
 * Pause, WorkingDirectory, LoopUntil, AllowFailure), through the Temporal driver on a fresh dev server and
 * an embedded PostgreSQL, then writes each workflow's history (children included) to
 * test/temporal/histories/<name>.json. Re-record after an intended change of the
 * workflow code; a change that breaks replay of old histories needs `patched` instead.
 *
 * `npm run temporal:record-histories -- <regex>` records only the cases and extras whose fixture name
 * matches (`corpus-pause-behavior-behavior-CANCEL`...) and keeps the other fixtures: the way to add the
 * histories of new cases, or of a patch's new branch, without re-recording what proves the old ones.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { historyToJSON } from "@temporalio/common/lib/proto-utils";
import { DefaultLogger, Runtime } from "@temporalio/worker";
import { loadFile } from "@/cli/flows/load-files";
import { parseInputs } from "@/cli/flows/run-flow";
import { runFlowTemporal } from "@/cli/flows/run-temporal";
import type { Execution, ExecutionEvent } from "@/engine/executor";
import type { Flow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import { applyMigrations } from "@/server/db/migrate";
import { migrationsDir } from "@/server/paths";
import { openDatabase } from "@/server/runtime/database";
import { caseArgs, caseName, loadCases } from "@/test/conformance/corpus";
import { startTestTemporal } from "@/test/temporal";
import { openHarness } from "@/test/temporal/harness";
import { startTemporalWorker, workflowIdOf } from "@/worker/temporal";

const out = fileURLToPath(new URL("../test/temporal/histories/", import.meta.url));

/** A parent whose Subflow starts SCHEDULED_CHILD at now() plus `after` (dateAdd's arguments). */
const scheduledParent = (id: string, after: string) => `id: ${id}
namespace: replay
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: replay
    flowId: scheduled-child
    scheduleDate: "{{ now() | dateAdd(${after}) }}"
`;

/** Fails on its first run (`c`), succeeds when restarted: the corpus's restart_last_failed. */
const RESTART_CHILD = `id: restart-child
namespace: replay
tasks:
  - { id: a, type: io.kestra.plugin.core.log.Log, message: a }
  - { id: c, type: io.kestra.plugin.core.log.Log, message: "{{ taskrun.attemptsCount == 1 ? 'ok' : ko }}" }
`;
const SCHEDULED_CHILD = `id: scheduled-child
namespace: replay
tasks:
  - { id: hello, type: io.kestra.plugin.core.log.Log, message: later }
`;

/**
 * The flows and operations the corpus lacks: name -> flow (and the flows it calls, stored first), and what
 * to do once it runs (on it, or on another execution: its child).
 */
const EXTRAS: {
  name: string;
  yaml: string;
  flows?: string[];
  operate?: (ctx: {
    operate(event: ExecutionEvent, executionId?: string): Promise<void>;
    waitFor(until: (e: Execution) => boolean, executionId?: string): Promise<Execution>;
  }) => Promise<void>;
}[] = [
  {
    name: "extra-pause-resume",
    yaml: `id: pause-resume
namespace: replay
inputs: []
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: resumed
`,
    async operate({ operate, waitFor }) {
      await waitFor((e) => e.state.current === "PAUSED");
      await operate({ type: "resume" });
    },
  },
  {
    name: "extra-pause-duration",
    yaml: `id: pause-duration
namespace: replay
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    pauseDuration: PT1S
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: resumed
`,
  },
  {
    name: "extra-kill",
    yaml: `id: kill
namespace: replay
tasks:
  - id: long
    type: io.kestra.plugin.scripts.shell.Commands
    commands: ["sleep 30"]
  - id: never
    type: io.kestra.plugin.core.log.Log
    message: never
`,
    async operate({ operate, waitFor }) {
      await waitFor((e) => e.taskRunList.some((r) => r.taskId === "long" && r.attempts.length > 0));
      await new Promise((resolve) => setTimeout(resolve, 500));
      await operate({ type: "kill" });
    },
  },
  {
    name: "extra-restart",
    yaml: `id: restart
namespace: replay
tasks:
  - id: ok
    type: io.kestra.plugin.core.log.Log
    message: ok
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
`,
    async operate({ operate, waitFor }) {
      await waitFor((e) => e.state.current === "FAILED");
      await operate({ type: "restart" });
    },
  },
  {
    name: "extra-working-directory",
    yaml: `id: working-directory
namespace: replay
tasks:
  - id: wd
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: write
        type: io.kestra.plugin.scripts.shell.Commands
        commands: ["echo shared > file.txt"]
      - id: read
        type: io.kestra.plugin.scripts.shell.Commands
        commands: ["cat file.txt"]
`,
  },
  {
    // Its own outputFiles and cache: the saveWorkingDirectory activity (patch cadenza-working-directory-files).
    name: "extra-working-directory-files",
    yaml: `id: working-directory-files
namespace: replay
tasks:
  - id: wd
    type: io.kestra.plugin.core.flow.WorkingDirectory
    outputFiles: ["out.txt"]
    cache:
      patterns: ["deps/**"]
      ttl: PT1H
    tasks:
      - id: write
        type: io.kestra.plugin.scripts.shell.Commands
        commands: ["mkdir -p deps && echo lib > deps/lib.txt", "echo kept > out.txt"]
  - id: read
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.wd.outputFiles['out.txt'] }}"
`,
  },
  {
    // Only a cache: a run recorded before the patch ignored it (before-working-directory-files/).
    name: "extra-working-directory-cache",
    yaml: `id: working-directory-cache
namespace: replay
tasks:
  - id: wd
    type: io.kestra.plugin.core.flow.WorkingDirectory
    cache:
      patterns: ["*.txt"]
    tasks:
      - id: write
        type: io.kestra.plugin.scripts.shell.Commands
        commands: ["echo cached > a.txt"]
`,
  },
  {
    name: "extra-loop-until",
    yaml: `id: loop-until
namespace: replay
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.LoopUntil
    condition: "{{ false }}"
    failOnMaxReached: false
    checkFrequency: { interval: PT1S, maxIterations: 2 }
    tasks:
      - id: tick
        type: io.kestra.plugin.core.log.Log
        message: tick
`,
  },
  {
    name: "extra-allow-failure",
    yaml: `id: allow-failure
namespace: replay
tasks:
  - id: tolerant
    type: io.kestra.plugin.core.flow.AllowFailure
    tasks:
      - id: boom
        type: io.kestra.plugin.core.execution.Fail
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: after
`,
  },
  {
    // A start that counts the running executions and claims its slot (the `runningCount` activity).
    name: "extra-concurrency",
    yaml: `id: concurrency
namespace: replay
concurrency:
  limit: 1
  behavior: QUEUE
tasks:
  - id: ok
    type: io.kestra.plugin.core.log.Log
    message: ok
`,
  },
  {
    // With the recorder's low history limit (HISTORY_LIMIT) these continue as new runs: every run is recorded.
    // Their tasks are scripts, regular activities: light tasks (local activities) would all run in one
    // workflow task, whose history length the workflow sees only at its start.
    name: "extra-continue-as-new-for-each",
    yaml: `id: continue-as-new-for-each
namespace: replay
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [${Array.from({ length: 60 }, (_, i) => i + 1).join(", ")}]
    concurrencyLimit: 5
    tasks:
      - id: echo
        type: io.kestra.plugin.scripts.shell.Commands
        commands: ["echo {{ taskrun.value }}"]
`,
  },
  {
    name: "extra-continue-as-new-timer-resume",
    yaml: `id: continue-as-new-timer-resume
namespace: replay
tasks:
  - id: both
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: nap
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT15S
      - id: chain
        type: io.kestra.plugin.core.flow.ForEach
        values: [${Array.from({ length: 30 }, (_, i) => i + 1).join(", ")}]
        tasks:
          - id: step
            type: io.kestra.plugin.scripts.shell.Commands
            commands: ["echo {{ taskrun.value }}"]
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: resumed
`,
    async operate({ operate, waitFor }) {
      await waitFor((e) => e.taskRunList.some((r) => r.taskId === "wait" && r.state.current === "PAUSED"));
      await operate({ type: "resume" });
    },
  },
  {
    // A parent's restart restarts its failed child in place (patch cadenza-restart-subflows): the child's
    // second run is a child workflow of the parent's second run.
    name: "extra-restart-subflow",
    flows: [RESTART_CHILD],
    yaml: `id: restart-subflow
namespace: replay
tasks:
  - { id: call, type: io.kestra.plugin.core.flow.Subflow, namespace: replay, flowId: restart-child }
`,
    async operate({ operate, waitFor }) {
      await waitFor((e) => e.state.current === "FAILED");
      await operate({ type: "restart" });
      await waitFor((e) => e.state.current === "SUCCESS");
    },
  },
  {
    // The child succeeded meanwhile (restarted on its own): its restart run fails with the refusal, which
    // fails the parent's task run.
    name: "extra-restart-subflow-refused",
    flows: [RESTART_CHILD],
    yaml: `id: restart-subflow-refused
namespace: replay
tasks:
  - { id: call, type: io.kestra.plugin.core.flow.Subflow, namespace: replay, flowId: restart-child }
`,
    async operate({ operate, waitFor }) {
      const failed = await waitFor((e) => e.state.current === "FAILED");
      const childId = String(failed.taskRunList[0]?.outputs?.executionId);
      await waitFor((e) => e.state.current === "FAILED", childId);
      await operate({ type: "restart" }, childId);
      await waitFor((e) => e.state.current === "SUCCESS", childId);
      await operate({ type: "restart" });
      await waitFor((e) => e.state.current === "FAILED" && e.metadata.attemptNumber === 2);
    },
  },
  {
    // The child waits for its scheduleDate on a timer, CREATED (patch cadenza-subflow-schedule-date); the
    // parent awaits its start (cadenza-kill-starting-subflows).
    name: "extra-subflow-schedule-date",
    flows: [SCHEDULED_CHILD],
    yaml: scheduledParent("subflow-schedule-date", "2, 'SECONDS'"),
  },
  {
    // Killed at once: the kill waits for the child's start, then reaches it while it waits for its date.
    name: "extra-subflow-schedule-date-kill",
    flows: [SCHEDULED_CHILD],
    yaml: scheduledParent("subflow-schedule-date-kill", "1, 'HOURS'"),
    async operate({ operate, waitFor }) {
      await waitFor((e) => e.taskRunList[0]?.outputs?.executionId !== undefined);
      await operate({ type: "kill" });
    },
  },
];

/** The extras' worker's history limit: low, so the continue-as-new extras hand over between runs. */
const HISTORY_LIMIT = 150;

const only = process.argv[2] ? new RegExp(process.argv[2]) : undefined;
const wanted = (name: string) => only === undefined || only.test(name);

const slug = (name: string) =>
  name
    .replace(/\.ya?ml/g, "")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger("WARN") });
  const dataDir = mkdtempSync(path.join(tmpdir(), "cadenza-record-"));
  chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as `postgres` when we are root
  const database = await openDatabase({ databaseUrl: undefined, dataDir });
  const temporal = await startTestTemporal();
  const side = { address: temporal.address, namespace: temporal.namespace };
  const recorded: { name: string; workflowId: string; runId?: string }[] = [];
  await applyMigrations(database.url, migrationsDir);
  const h = await openHarness({ databaseUrl: database.url, dataDir, temporal: side });
  try {
    const registry = builtInRegistry();
    for (const c of loadCases()) {
      if (!wanted(`corpus-${slug(caseName(c))}`)) continue;
      const [file, ...rest] = caseArgs(c) as [string, ...string[]];
      const main = loadFile(file, registry);
      const flows: Flow[] = [];
      const sources = new Map(main.sources);
      const inputs: string[] = [];
      for (let i = 0; i < rest.length; i += 2) {
        if (rest[i] === "--input") inputs.push(rest[i + 1] as string);
        if (rest[i] === "--flows") {
          const other = loadFile(rest[i + 1] as string, registry);
          flows.push(...other.flows);
          for (const [flow, source] of other.sources) sources.set(flow, source);
        }
      }
      if (typeof parseInputs(inputs) === "string") throw new Error(`bad inputs in ${caseName(c)}`);
      let stderr = "";
      const result = await runFlowTemporal(
        {
          flow: main.flows[0] as Flow,
          flows,
          sources,
          inputs,
          registry,
          quiet: true,
          timeoutMs: 60_000,
          databaseUrl: database.url,
          dataDir,
          temporalAddress: side.address,
          temporalNamespace: side.namespace,
        },
        { stdout: () => {}, stderr: (t) => void (stderr += t) },
      );
      if (result.code !== 0 || !result.execution) throw new Error(`${caseName(c)}: ${stderr}`);
      recorded.push({
        name: `corpus-${slug(caseName(c))}`,
        workflowId: workflowIdOf("main", result.execution.id),
      });
      console.log(`ran ${caseName(c)}: ${result.execution.state.current}`);
    }

    const worker = await startTemporalWorker({
      ctx: h.engine.ctx,
      ...side,
      tenantIds: [h.tenantId],
      historyLimit: HISTORY_LIMIT,
    });
    try {
      for (const extra of EXTRAS) {
        if (!wanted(extra.name)) continue;
        for (const flow of extra.flows ?? []) await h.deploy(flow);
        await h.deploy(extra.yaml);
        const flowId = /^id: (\S+)/.exec(extra.yaml)?.[1] as string;
        const id = await h.start("replay", flowId);
        const workflowId = workflowIdOf(h.tenantId, id);
        const ended = (e: Execution) => ["SUCCESS", "FAILED", "KILLED", "WARNING"].includes(e.state.current);
        await extra.operate?.({
          operate: (event, executionId = id) => h.operate(executionId, event),
          waitFor: (until, executionId = id) => h.waitFor(executionId, until, 120_000),
        });
        await h.temporal.workflow
          .getHandle(workflowId)
          .result()
          .catch(() => undefined);
        const final = await h.waitFor(id, ended, 120_000);
        // Every run of the workflow id (a restart's, continueAsNew's), oldest first.
        let runs: { runId: string; startTime: Date; open: boolean }[] = [];
        for (let tries = 0; tries < 50; tries++) {
          runs = [];
          for await (const run of h.temporal.workflow.list({ query: `WorkflowId = "${workflowId}"` }))
            runs.push({ runId: run.runId, startTime: run.startTime, open: run.status.name === "RUNNING" });
          // Visibility trails the history a little: wait until it has the closed last run.
          if (runs.length > 0 && runs.every((run) => !run.open)) break;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
        for (const [index, run] of runs.entries())
          recorded.push({
            name: index === 0 ? extra.name : `${extra.name}-run-${index + 1}`,
            workflowId,
            runId: run.runId,
          });
        console.log(`ran ${extra.name}: ${final.state.current}`);
      }
    } finally {
      await worker.shutdown();
    }

    // Fresh fixtures: the old ones go, so a pattern that is no longer recorded is not replayed from stale data.
    mkdirSync(out, { recursive: true });
    if (!only) for (const file of readdirSync(out)) if (file.endsWith(".json")) rmSync(path.join(out, file));
    let files = 0;
    const write = async (name: string, workflowId: string, runId?: string) => {
      const history = await h.temporal.workflow.getHandle(workflowId, runId).fetchHistory();
      const json = JSON.parse(historyToJSON(history)) as {
        events: {
          eventType?: string;
          childWorkflowExecutionStartedEventAttributes?: {
            workflowExecution?: { workflowId?: string; runId?: string };
          };
        }[];
      };
      writeFileSync(path.join(out, `${name}.json`), `${JSON.stringify({ workflowId, history: json })}\n`);
      files++;
      // Children (Subflow, ForEachItem batches): each its own fixture, named after the parent's; two are
      // enough of one parent's (ForEachItem's batches are all alike). The run this parent started: a
      // restarted child's workflow id has one run per parent run.
      const children = json.events
        .map((e) => e.childWorkflowExecutionStartedEventAttributes?.workflowExecution)
        .filter((run): run is { workflowId: string; runId?: string } => Boolean(run?.workflowId))
        .slice(0, 2);
      for (const [index, child] of children.entries())
        await write(`${name}.child-${index + 1}`, child.workflowId, child.runId);
    };
    for (const r of recorded) await write(r.name, r.workflowId, r.runId);
    console.log(`wrote ${files} histories to ${out}`);
  } finally {
    await h.close();
    await temporal.stop();
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
