import { describe, expect, it } from "vitest";
import {
  executionPageView,
  type PageTaskRun,
  packExecutionPageView,
  unpackExecutionPageView,
} from "./execution-view";

const state = (current: string, startDate: string, endDate?: string) => ({
  current,
  histories: [{ state: current, date: startDate }],
  startDate,
  ...(endDate ? { endDate } : {}),
  duration: "PT1S",
});

const full = {
  id: "x",
  namespace: "company.team",
  flowId: "f",
  flowRevision: 3,
  state: state("RUNNING", "2026-01-01T00:00:00.000Z"),
  inputs: { a: 1 },
  labels: [{ key: "k", value: "v" }],
  variables: { big: "not for the page" },
  metadata: { attemptNumber: 1 },
  taskRunList: [
    {
      id: "p",
      executionId: "x",
      taskId: "each",
      parentTaskRunId: null,
      value: null,
      iteration: null,
      state: state("RUNNING", "2026-01-01T00:00:00.100Z"),
      attempts: [{ state: state("RUNNING", "2026-01-01T00:00:00.100Z") }],
      outputs: null,
    },
    {
      id: "c",
      executionId: "x",
      taskId: "work",
      parentTaskRunId: "p",
      value: "1",
      iteration: 0,
      state: state("SUCCESS", "2026-01-01T00:00:00.200Z", "2026-01-01T00:00:01.250Z"),
      attempts: [
        {
          state: state("FAILED", "2026-01-01T00:00:00.200Z", "2026-01-01T00:00:00.300Z"),
          error: { message: "boom" },
          metrics: [{ name: "n", value: 1 }],
        },
        { state: state("SUCCESS", "2026-01-01T00:00:00.300Z", "2026-01-01T00:00:01.250Z") },
      ],
      outputs: { item: 1 },
    },
    {
      id: "o",
      taskId: "orphan",
      parentTaskRunId: "elsewhere",
      value: null,
      iteration: null,
      state: state("CREATED", "2026-01-01T00:00:02.000Z"),
      attempts: [],
      outputs: null,
    },
  ],
};

describe("the execution page's view", () => {
  it("keeps the execution and each run's nesting, states and spans, not outputs, errors, metrics, histories", () => {
    const view = executionPageView(full);
    expect(view.state).toEqual(full.state);
    expect(view.inputs).toEqual({ a: 1 });
    expect(view).not.toHaveProperty("variables");
    expect(view.taskRunList[1]).toEqual<PageTaskRun>({
      id: "c",
      taskId: "work",
      parentTaskRunId: "p",
      value: "1",
      iteration: 0,
      state: {
        current: "SUCCESS",
        startDate: "2026-01-01T00:00:00.200Z",
        endDate: "2026-01-01T00:00:01.250Z",
      },
      attempts: [
        {
          state: {
            current: "FAILED",
            startDate: "2026-01-01T00:00:00.200Z",
            endDate: "2026-01-01T00:00:00.300Z",
          },
        },
        {
          state: {
            current: "SUCCESS",
            startDate: "2026-01-01T00:00:00.300Z",
            endDate: "2026-01-01T00:00:01.250Z",
          },
        },
      ],
    });
    // The page slims whatever it receives, a view again included.
    expect(executionPageView(view)).toEqual(view);
  });

  it("packs the runs into columns and unpacks them to the same view", () => {
    const view = executionPageView(full);
    const packed = packExecutionPageView(view);
    expect(packed).not.toHaveProperty("taskRunList");
    expect(packed.packedTaskRuns.tasks).toEqual(["each", "work", "orphan"]);
    // The running parent's single attempt is its own state: written as 0.
    expect(packed.packedTaskRuns.runs[0]?.[8]).toBe(0);
    expect(packed.packedTaskRuns.runs[1]?.[2]).toBe(0);
    expect(packed.packedTaskRuns.runs[2]?.[2]).toBe("elsewhere");
    expect(unpackExecutionPageView(JSON.parse(JSON.stringify(packed)))).toEqual(view);
  });
});
