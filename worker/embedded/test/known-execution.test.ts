import { describe, expect, it } from "vitest";
import { withTransaction } from "../db";
import { loadExecution, lockExecutionKnown } from "../execution-store";
import { applyTaskResult } from "../group-apply";
import { setUpEmbeddedEngine, TENANT } from "./harness";

/** A task job's result is applied from the execution the job read, unless the row moved on meanwhile. */
const h = setUpEmbeddedEngine({ inlineTasks: false });

const twoTasks = `id: two
namespace: company.team
tasks:
  - { id: a, type: core.debug.Return, format: a }
  - { id: b, type: core.debug.Return, format: "{{ outputs.a.value }}b" }
`;

describe("embedded engine: the execution a task job read", () => {
  it("is used as it is when the row is still at its version, and read again once the row has changed", async () => {
    await h.deploy(twoTasks);
    const started = await h.client.start(TENANT, "company.team", "two");
    const known = await loadExecution(h.ctx.pool, started.id);
    if (!known) throw new Error("not stored");
    const unchanged = await withTransaction(h.ctx.pool, (db) => lockExecutionKnown(db, started.id, known));
    expect(unchanged?.execution).toBe(known.execution);
    expect(unchanged?.version).toBe(known.version);

    await h.ctx.pool.query("update executions set updated_at = now() where id = $1", [started.id]);
    const moved = await withTransaction(h.ctx.pool, (db) => lockExecutionKnown(db, started.id, known));
    expect(moved?.execution).not.toBe(known.execution);
    expect(moved?.execution).toEqual(known.execution);
    expect(moved?.version).not.toBe(known.version);
  });

  it("applies a result against the stored execution even when the job's read is out of date", async () => {
    await h.deploy(twoTasks);
    const started = await h.client.start(TENANT, "company.team", "two");
    const stale = await loadExecution(h.ctx.pool, started.id);
    if (!stale) throw new Error("not stored");
    const a = stale.execution.taskRunList.find((r) => r.taskId === "a");
    if (!a) throw new Error("no run of a");
    // The row moves on after the job's read (here a label set by an operation): the result must not
    // overwrite that with the job's older document.
    const labelled = structuredClone(stale.execution);
    labelled.labels = [...labelled.labels, { key: "team", value: "data" }];
    await h.ctx.pool.query("update executions set document = $2 where id = $1", [started.id, labelled]);
    await applyTaskResult(
      h.ctx,
      started.id,
      { type: "taskResult", taskRunId: a.id, attempt: 1, state: "SUCCESS", outputs: { value: "a" } },
      stale,
    );
    const after = await loadExecution(h.ctx.pool, started.id);
    expect(after?.execution.labels).toContainEqual({ key: "team", value: "data" });
    expect(after?.execution.taskRunList.find((r) => r.taskId === "a")?.state.current).toBe("SUCCESS");
    expect(after?.execution.taskRunList.find((r) => r.taskId === "b")?.state.current).toBe("RUNNING");
  });
});

describe("embedded engine: a queued task's last log lines", () => {
  it("are written by the transaction that applies its result, not by a commit of their own", async () => {
    await h.deploy(`id: logged
namespace: company.team
tasks:
  - { id: say, type: core.log.Log, message: "hello from a queued task" }
  - { id: after, type: core.debug.Return, format: done }
`);
    await h.startRuntime({ scheduler: false });
    const started = await h.client.start(TENANT, "company.team", "logged");
    const done = await h.client.waitForEnd(TENANT, started.id, 30_000);
    expect(done.state.current).toBe("SUCCESS");
    // Rows written by one transaction share its id (xmin): the line and the task run's end.
    const rows = await h.ctx.pool.query(
      `select l.message, l.xmin::text = t.xmin::text as together
       from log_entries l join task_runs t on t.id = l.task_run_id
       where l.execution_id = $1 and t.task_id = 'say'`,
      [started.id],
    );
    expect(rows.rows).toEqual([{ message: "hello from a queued task", together: true }]);
  });
});
