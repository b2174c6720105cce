"use client";
// The full task runs the page shows (outputs, attempts' errors and metrics): the page holds its task runs
// slim (live.ts), and reads these only for the task runs a panel or tab shows, again whenever one of them
// changes state (a run's outputs come with its end).
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef } from "react";
import { useTRPC } from "../../_trpc/react";
import type { TaskRunView } from "./live";

export interface TaskRunDetails {
  id: string;
  taskId: string;
  value: string | null;
  attempts: {
    state: { current: string };
    error?: { message?: string };
    metrics?: { name: string; type?: string; value: number; tags?: Record<string, string> }[];
  }[];
  outputs: Record<string, unknown> | null;
}

/** The full task runs of `runs` (all the execution's when `all`), by id; undefined until read. */
export function useTaskRunDetails(
  tenant: string,
  executionId: string,
  runs: TaskRunView[],
  options: { all?: boolean; taskId?: string } = {},
): Map<string, TaskRunDetails> | undefined {
  const trpc = useTRPC();
  const ids = options.all || options.taskId ? undefined : runs.map((run) => run.id);
  const query = useQuery({
    ...trpc.executions.taskRuns.queryOptions(
      {
        tenant,
        executionId,
        ...(options.taskId ? { taskId: options.taskId } : {}),
        ...(ids ? { taskRunIds: ids } : {}),
      },
      { trpc: { context: { skipBatch: true } } },
    ),
    placeholderData: (previous) => previous,
  });
  const stamp = useMemo(
    () => runs.map((run) => `${run.id}:${run.state.current}:${run.attempts.length}`).join(","),
    [runs],
  );
  const first = useRef(stamp);
  const { refetch } = query;
  useEffect(() => {
    if (stamp !== first.current) void refetch();
  }, [stamp, refetch]);
  return useMemo(
    () =>
      query.data
        ? new Map((query.data as unknown as TaskRunDetails[]).map((run) => [run.id, run]))
        : undefined,
    [query.data],
  );
}
