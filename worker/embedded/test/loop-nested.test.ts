// A nested Kestra 2.0 Loop over a file's lines with a concurrency limit, on the embedded engine: the shape
// bench/loop-nested.ts runs at 10,000 lines, small. Every iteration is an execution of kind LOOP; the outer
// loop never runs more than its limit at once (from the stored iterations' dates, and its own output).
import { describe, expect, it } from "vitest";
import { setUpEmbeddedEngine, TENANT } from "./harness";

const h = setUpEmbeddedEngine();

const LINES = 50;
const LIMIT = 5;
const FLOW = `id: nested
namespace: loops
tasks:
  - id: file
    type: io.kestra.plugin.core.storage.Write
    content: "{{ range(1, ${LINES}) | join('\\n') }}"
  - id: lines
    type: io.kestra.plugin.core.flow.Loop
    values: "{{ outputs.file.uri }}"
    concurrencyLimit: ${LIMIT}
    outputs:
      - { id: pairs, type: JSON, value: "{{ loopOutputs(outputs.inner.outputs, 'pair') }}" }
    tasks:
      - id: inner
        type: io.kestra.plugin.core.flow.Loop
        values: [a, b]
        outputs:
          - { id: pair, type: STRING, value: "{{ outputs.leaf.values.pair }}" }
        tasks:
          - id: leaf
            type: io.kestra.plugin.core.output.OutputValues
            values: { pair: "{{ item.parent.value }}{{ item.value }}" }
`;

describe("embedded engine: a nested Loop over a file with concurrencyLimit", () => {
  it("runs every line's iteration and its inner loop, never more than the limit at once", async () => {
    await h.startRuntime();
    await h.deploy(FLOW);
    const started = await h.client.start(TENANT, "loops", "nested");
    let peakOutput = 0;
    let done = await h.client.get(TENANT, started.id);
    while (!done?.state.endDate) {
      const [row] = await h.query<{ running: number | null }>(
        "select (outputs->>'runningIterations')::int as running from task_runs where execution_id = $1 and task_id = 'lines'",
        [started.id],
      );
      peakOutput = Math.max(peakOutput, row?.running ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 50));
      done = await h.client.get(TENANT, started.id);
    }
    expect(done.state.current).toBe("SUCCESS");
    const loop = done.taskRunList.find((r) => r.taskId === "lines");
    expect(loop?.outputs).toMatchObject({ iterationCount: LINES, terminatedIterations: LINES });
    const outputs = loop?.outputs?.outputs as { item: unknown; outputs: unknown }[] | undefined;
    expect(outputs?.[LINES - 1]).toEqual({
      item: { value: String(LINES), index: LINES - 1, iteration: LINES - 1 },
      outputs: { pairs: [`${LINES}a`, `${LINES}b`] },
    });

    const outer = await h.query<{ id: string; state: string }>(
      "select id, state::text from executions where parent_id = $1 and kind = 'LOOP'",
      [started.id],
    );
    expect(outer).toHaveLength(LINES);
    expect(outer.every((e) => e.state === "SUCCESS")).toBe(true);
    const [inner] = await h.query<{ n: number }>(
      "select count(*)::int as n from executions where parent_id = any($1) and kind = 'LOOP' and state = 'SUCCESS'",
      [outer.map((e) => e.id)],
    );
    expect(inner?.n).toBe(LINES * 2);

    // Each iteration sees the outputs of the tasks before the loop, not the loop's own (the list of every
    // ended iteration: copied into each new one, they made the loop quadratic).
    const [carried] = await h.query<{ file: number; loop: number }>(
      `select count(*) filter (where document->'internal'->'loopOutputs' ? 'file')::int as file,
              count(*) filter (where document->'internal'->'loopOutputs' ? 'lines')::int as loop
         from executions where parent_id = $1`,
      [started.id],
    );
    expect(carried).toEqual({ file: LINES, loop: 0 });

    // A sweep over the outer iterations' starts and ends (an end first on a tie): how many ran at once.
    const [peak] = await h.query<{ peak: number }>(
      `select max(running)::int as peak from (
         select sum(delta) over (order by at, delta, id rows unbounded preceding) as running from (
           select id, start_date as at, 1 as delta from executions where parent_id = $1 and kind = 'LOOP'
           union all select id, end_date, -1 from executions where parent_id = $1 and kind = 'LOOP') events) s`,
      [started.id],
    );
    expect(peak?.peak).toBeGreaterThan(1);
    expect(peak?.peak).toBeLessThanOrEqual(LIMIT);
    expect(peakOutput).toBeLessThanOrEqual(LIMIT);
  }, 120_000);
});
