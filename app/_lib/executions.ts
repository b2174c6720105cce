// The few fields lists show of an execution in Kestra's JSON (what the executions procedures return).
export interface ExecutionRow {
  id: string;
  state: string;
  startDate: string;
  endDate?: string;
  flowRevision?: number;
}

export function executionRow(json: Record<string, unknown>): ExecutionRow {
  const state = (json.state ?? {}) as { current?: string; startDate?: string; endDate?: string };
  return {
    id: String(json.id),
    state: state.current ?? "CREATED",
    startDate: state.startDate ?? "",
    ...(state.endDate ? { endDate: state.endDate } : {}),
    ...(typeof json.flowRevision === "number" ? { flowRevision: json.flowRevision } : {}),
  };
}
