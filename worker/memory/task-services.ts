import type { Execution } from "@/engine/executor";
import { isTerminal } from "@/engine/executor";
import type { Flow } from "@/engine/flow";
import type { ExecutionService, LogReader, PurgeFilter, PurgeService, TriggerService } from "@/engine/plugin";
import { executionDetail } from "../execution-detail";
import { LEVEL_ORDER, type LogEntry } from "../logs";

/** What the memory engine's task services read and do; given by the engine, so this file stays apart from it. */
export interface MemoryServiceDeps {
  executions: ReadonlyMap<string, Execution>;
  logs: readonly LogEntry[];
  flows(): Iterable<Flow>;
  flow(namespace: string, flowId: string): Flow | undefined;
  replaceFlow(flow: Flow): void;
  resume(executionId: string, inputs?: Record<string, unknown>): Promise<void>;
  /** Removes the log entries matching `drop`; returns how many. */
  deleteLogs(drop: (entry: LogEntry) => boolean): number;
  deleteExecution(id: string): boolean;
}

const inNamespace = (namespace: string, parent: string) =>
  namespace === parent || namespace.startsWith(`${parent}.`);

/** The logs of the memory engine's executions. */
export function memoryLogReader(deps: MemoryServiceDeps): LogReader {
  return {
    async fetch({ executionId, taskIds, minLevel }) {
      const min = LEVEL_ORDER[minLevel ?? "TRACE"];
      const tasks = taskIds?.length ? new Set(taskIds) : undefined;
      return deps.logs
        .filter(
          (log) =>
            log.executionId === executionId &&
            LEVEL_ORDER[log.level] >= min &&
            (!tasks || (log.taskId !== undefined && tasks.has(log.taskId))),
        )
        .map((log) => ({ ...log, executionId }));
    },
  };
}

/** Counting and resuming the memory engine's executions. */
export function memoryExecutionService(deps: MemoryServiceDeps): ExecutionService {
  return {
    async get(executionId) {
      const execution = deps.executions.get(executionId);
      if (!execution) return undefined;
      const { id, namespace, flowId } = execution;
      return { id, namespace, flowId, state: execution.state.current };
    },
    async detail(executionId) {
      const execution = deps.executions.get(executionId);
      return execution && executionDetail(execution);
    },
    async countByFlow(filter) {
      const start = Date.parse(filter.startDate);
      const end = Date.parse(filter.endDate);
      const states = filter.states?.length ? new Set(filter.states) : undefined;
      const counts = new Map<string, { namespace: string; flowId: string; count: number }>();
      const key = (namespace: string, flowId: string) => `${namespace}\u0000${flowId}`;
      const add = (namespace: string, flowId: string) => {
        if (!counts.has(key(namespace, flowId)))
          counts.set(key(namespace, flowId), { namespace, flowId, count: 0 });
      };
      for (const flow of filter.flows ?? []) add(flow.namespace, flow.flowId);
      const namespaces = filter.namespaces ?? [];
      if (namespaces.length) {
        for (const flow of deps.flows()) {
          if (namespaces.some((ns) => inNamespace(flow.namespace, ns))) add(flow.namespace, flow.id);
        }
      }
      for (const execution of deps.executions.values()) {
        const entry = counts.get(key(execution.namespace, execution.flowId));
        if (!entry && !namespaces.some((ns) => inNamespace(execution.namespace, ns))) continue;
        const started = Date.parse(execution.state.startDate);
        if (started < start || started > end) continue;
        if (states && !states.has(execution.state.current)) continue;
        add(execution.namespace, execution.flowId);
        const counted = counts.get(key(execution.namespace, execution.flowId));
        if (counted) counted.count++;
      }
      return [...counts.values()];
    },
    resume: (executionId, inputs) => deps.resume(executionId, inputs),
  };
}

/** Enabling and disabling triggers: the flow held by the engine is replaced by one with the trigger toggled. */
export function memoryTriggerService(deps: MemoryServiceDeps): TriggerService {
  return {
    async setEnabled(namespace, flowId, triggerId, enabled) {
      const flow = deps.flow(namespace, flowId);
      if (!flow) throw new Error(`flow ${namespace}.${flowId} not found`);
      if (!flow.triggers.some((trigger) => trigger.id === triggerId)) {
        throw new Error(`flow ${namespace}.${flowId} has no trigger '${triggerId}'`);
      }
      deps.replaceFlow({
        ...flow,
        triggers: flow.triggers.map((trigger) =>
          trigger.id === triggerId ? { ...trigger, disabled: !enabled } : trigger,
        ),
      });
    },
  };
}

function matches(filter: PurgeFilter, namespace: string, flowId: string | undefined, date: string): boolean {
  if (filter.flowId !== undefined && (namespace !== filter.namespace || flowId !== filter.flowId))
    return false;
  if (filter.flowId === undefined && filter.namespace && !inNamespace(namespace, filter.namespace))
    return false;
  const at = Date.parse(date);
  if (at >= Date.parse(filter.endDate)) return false;
  return !filter.startDate || at >= Date.parse(filter.startDate);
}

/** Purging the memory engine's executions and logs. */
export function memoryPurgeService(deps: MemoryServiceDeps): PurgeService {
  return {
    async logNamespaces(filter) {
      const levels = filter.levels?.length ? new Set(filter.levels) : undefined;
      const namespaces = deps.logs
        .filter(
          (log) =>
            matches(filter, log.namespace, log.flowId, log.timestamp) && (!levels || levels.has(log.level)),
        )
        .map((log) => log.namespace);
      return [...new Set(namespaces)];
    },
    async deleteLogs(filter) {
      const levels = filter.levels?.length ? new Set(filter.levels) : undefined;
      return deps.deleteLogs(
        (log) =>
          matches(filter, log.namespace, log.flowId, log.timestamp) && (!levels || levels.has(log.level)),
      );
    },
    async endedExecutions(filter, limit) {
      const states = filter.states?.length ? new Set(filter.states) : undefined;
      return [...deps.executions.values()]
        .filter(
          (e) =>
            isTerminal(e.state.current) &&
            e.state.endDate !== undefined &&
            e.id !== filter.exclude &&
            (!filter.after || e.id > filter.after) &&
            (!states || states.has(e.state.current)) &&
            matches(filter, e.namespace, e.flowId, e.state.endDate),
        )
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, limit)
        .map((e) => ({ id: e.id, namespace: e.namespace, flowId: e.flowId, state: e.state.current }));
    },
    async deleteExecutionLogs(ids) {
      const set = new Set(ids);
      return deps.deleteLogs((log) => log.executionId !== undefined && set.has(log.executionId));
    },
    async countExecutionMetrics(ids) {
      let count = 0;
      for (const id of ids) {
        for (const run of deps.executions.get(id)?.taskRunList ?? [])
          for (const attempt of run.attempts) count += attempt.metrics?.length ?? 0;
      }
      return count;
    },
    async deleteExecutions(ids) {
      let count = 0;
      for (const id of ids) if (deps.deleteExecution(id)) count++;
      return count;
    },
  };
}
