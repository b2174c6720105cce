import { describe, expect, it } from "vitest";
import { type Execution, type ExecutorLog, step } from "@/engine/executor";
import { runStoredAttemptWithLogTail } from "../../embedded/attempt";
import { loadExecution } from "../../embedded/execution-store";
import { setUpEmbeddedEngine, TENANT } from "../../embedded/test/harness";
import { createPersist, writtenMemory } from "./persist";
import { createStoredExecution } from "./store";

/**
 * The `persist` activity, called as the workflow calls it, step after step (no Temporal server needed):
 * what it writes must be the same whichever path it takes (one statement at the row's version, or the
 * locked read-diff-write), a retried step adds nothing, and a row written meanwhile by someone else is
 * never overwritten from a stale base.
 */
const SECRET = "s3cr3t-value-for-persist";
const h = setUpEmbeddedEngine({ secretValues: async () => [SECRET] });

const yaml = `id: chain
namespace: persist.test
tasks:
  - { id: a, type: io.kestra.plugin.scripts.shell.Commands, commands: ["true"] }
  - { id: b, type: io.kestra.plugin.scripts.shell.Commands, commands: ["true"] }
  - { id: c, type: io.kestra.plugin.scripts.shell.Commands, commands: ["true"] }
`;

/** The steps of a 3-task chain, as the workflow would persist them: start, then each task's success. */
async function steps(): Promise<{ execution: Execution; logs: ExecutorLog[] }[]> {
  const flow = await h.ctx.flows.current(h.pool, TENANT, "persist.test", "chain");
  if (!flow) throw new Error("flow not deployed");
  const { execution: created } = await createStoredExecution(h.ctx, TENANT, flow, {});
  const env = { now: () => new Date(), newId: () => h.ctx.newId(), registry: h.ctx.registry, functions: {} };
  const out: { execution: Execution; logs: ExecutorLog[] }[] = [];
  let current = await step(flow, created, { type: "start" }, env as never);
  out.push({ execution: current.execution, logs: current.logs });
  for (;;) {
    const run = current.commands.find((c) => c.type === "runTask");
    if (run?.type !== "runTask") break;
    current = await step(
      flow,
      current.execution,
      {
        type: "taskResult",
        taskRunId: run.taskRunId,
        attempt: run.attempt,
        state: "SUCCESS",
        outputs: { said: `${run.taskId} ${SECRET}` },
      },
      env as never,
    );
    out.push({
      execution: current.execution,
      logs: [
        ...current.logs,
        { level: "INFO", message: `after ${run.taskId}`, timestamp: new Date().toISOString() },
      ],
    });
  }
  return out;
}

const stored = async (id: string) => ({
  row: (
    await h.query<{ state: string; outputs: unknown; document: Execution }>(
      "select state, outputs, document from executions where id = $1",
      [id],
    )
  )[0],
  runs: await h.query<{ task_id: string; state: string; position: number; outputs: unknown }>(
    "select task_id, state, position, outputs from task_runs where execution_id = $1 order by position",
    [id],
  ),
  logs: await h.query<{ message: string }>(
    "select message from log_entries where execution_id = $1 order by message",
    [id],
  ),
});

describe("the persist activity", () => {
  it("writes every step, masked, the same whether it remembers the last write or reads it under a lock", async () => {
    await h.deploy(yaml);
    const chain = await steps();
    expect(chain.at(-1)?.execution.state.current).toBe("SUCCESS");
    const remembering = createPersist(h.ctx);
    const fast = chain[0]?.execution.id ?? "";
    for (const s of chain) await remembering({ tenantId: TENANT, ...s });
    // The same steps, each by a process that never wrote this execution (always the locked path).
    const other = await steps();
    const slow = other[0]?.execution.id ?? "";
    for (const s of other) await createPersist(h.ctx)({ tenantId: TENANT, ...s });

    // Remembering what the workflow's loadExecution read (its first step is one statement too).
    const loaded = await steps();
    const fromLoad = loaded[0]?.execution.id ?? "";
    const memory = writtenMemory();
    const read = await loadExecution(h.pool, fromLoad);
    if (!read) throw new Error("not stored");
    memory.remember({
      text: JSON.stringify(read.execution),
      execution: read.execution,
      version: read.version,
    });
    const afterLoad = createPersist(h.ctx, memory);
    for (const s of loaded) await afterLoad({ tenantId: TENANT, ...s });

    const [a, b, c] = [await stored(fast), await stored(slow), await stored(fromLoad)];
    expect(c.runs).toEqual(b.runs);
    expect(c.logs).toEqual(b.logs);
    expect(c.row?.state).toBe("SUCCESS");
    expect(a.row?.state).toBe("SUCCESS");
    expect(a.runs.map((r) => [r.task_id, r.state, r.position])).toEqual([
      ["a", "SUCCESS", 0],
      ["b", "SUCCESS", 1],
      ["c", "SUCCESS", 2],
    ]);
    expect(a.runs).toEqual(b.runs);
    expect(a.logs).toEqual(b.logs);
    expect(a.logs.map((l) => l.message)).toEqual(["after a", "after b", "after c"]);
    expect(JSON.stringify(a)).not.toContain(SECRET);
    expect(a.runs[0]?.outputs).toEqual({ said: "a ******" });
  });

  it("a retried step adds no logs; a row written meanwhile elsewhere is re-read, never overwritten", async () => {
    const chain = await steps();
    const id = chain[0]?.execution.id ?? "";
    const persist = createPersist(h.ctx);
    const [first, second, third, fourth] = chain;
    if (!first || !second || !third || !fourth) throw new Error("expected four steps");
    await persist({ tenantId: TENANT, ...first });
    await persist({ tenantId: TENANT, ...second });
    await persist({ tenantId: TENANT, ...second });
    expect((await stored(id)).logs.map((l) => l.message)).toEqual(["after a"]);
    // Another worker wrote the next step (the workflow moved): this process's memory is stale.
    await createPersist(h.ctx)({ tenantId: TENANT, ...third });
    // ...and the same step again from here (a retry that reaches this process) writes nothing twice.
    await persist({ tenantId: TENANT, ...third });
    await persist({ tenantId: TENANT, ...fourth });
    const after = await stored(id);
    expect(after.logs.map((l) => l.message)).toEqual(["after a", "after b", "after c"]);
    expect(after.row?.state).toBe("SUCCESS");
    expect(after.runs.map((r) => r.state)).toEqual(["SUCCESS", "SUCCESS", "SUCCESS"]);
  });

  it("writes a task's last log lines with the step that applies its result, once, masked", async () => {
    const chain = await steps();
    const [first, second, third] = chain;
    if (!first || !second || !third) throw new Error("expected three steps");
    const id = first.execution.id;
    const said = (taskId: string) => {
      const run =
        first.execution.taskRunList.find((r) => r.taskId === taskId) ??
        second.execution.taskRunList.find((r) => r.taskId === taskId);
      return [
        {
          executionId: id,
          namespace: "persist.test",
          flowId: "chain",
          taskId,
          ...(run ? { taskRunId: run.id } : {}),
          attemptNumber: 1,
          level: "INFO" as const,
          message: `${taskId} said ${SECRET}`,
          timestamp: new Date().toISOString(),
        },
      ];
    };
    const persist = createPersist(h.ctx);
    await persist({ tenantId: TENANT, ...first });
    const fromA = said("a");
    await persist({ tenantId: TENANT, ...second, taskLogs: fromA });
    // A retried write of that step, here and by a process that never wrote it: nothing twice.
    await persist({ tenantId: TENANT, ...second, taskLogs: fromA });
    await createPersist(h.ctx)({ tenantId: TENANT, ...second, taskLogs: fromA });
    expect((await stored(id)).logs.map((l) => l.message)).toEqual(["a said ******", "after a"]);
    // A result the step ignored (the execution unchanged): its lines are written, once.
    const late = said("b");
    await persist({ tenantId: TENANT, ...second, logs: [], taskLogs: late });
    await persist({ tenantId: TENANT, ...second, logs: [], taskLogs: late });
    await persist({ tenantId: TENANT, ...third, taskLogs: said("c") });
    const after = await stored(id);
    expect(after.logs.map((l) => l.message)).toEqual([
      "a said ******",
      "after a",
      "after b",
      "b said ******",
      "c said ******",
    ]);
    expect(JSON.stringify(after)).not.toContain(SECRET);
  });

  it("an attempt's last log lines are returned masked when short, written when long", async () => {
    await h.deploy(`id: says
namespace: persist.test
tasks:
  - { id: say, type: io.kestra.plugin.core.log.Log, message: "hello ${SECRET}" }
`);
    const flow = await h.ctx.flows.current(h.pool, TENANT, "persist.test", "says");
    if (!flow) throw new Error("flow not deployed");
    const env = {
      now: () => new Date(),
      newId: () => h.ctx.newId(),
      registry: h.ctx.registry,
      functions: {},
    };
    const attempt = async (maxChars: number) => {
      const { execution: created } = await createStoredExecution(h.ctx, TENANT, flow, {});
      const started = await step(flow, created, { type: "start" }, env as never);
      await createPersist(h.ctx)({ tenantId: TENANT, ...started });
      const command = started.commands.find((c) => c.type === "runTask");
      if (command?.type !== "runTask") throw new Error("expected a runTask");
      const ran = await runStoredAttemptWithLogTail(
        h.ctx,
        TENANT,
        flow,
        started.execution,
        command,
        new AbortController().signal,
        maxChars,
      );
      return { ...ran, written: (await stored(created.id)).logs.map((l) => l.message) };
    };
    const short = await attempt(1000);
    expect(short.result.state).toBe("SUCCESS");
    expect(short.logs.map((l) => [l.taskId, l.message])).toEqual([["say", "hello ******"]]);
    expect(short.written).toEqual([]);
    const long = await attempt(5);
    expect(long.logs).toEqual([]);
    expect(long.written).toEqual(["hello ******"]);
  });
});
