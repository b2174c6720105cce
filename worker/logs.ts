import type { LogLevel, TaskLogger } from "@/engine/plugin";

/** One log line of an execution (Kestra's LogEntry). */
export interface LogEntry {
  /** Absent for a trigger's own logs (a schedule that could not start an execution). */
  executionId?: string;
  triggerId?: string;
  namespace: string;
  flowId: string;
  taskId?: string;
  taskRunId?: string;
  attemptNumber?: number;
  level: LogLevel;
  message: string;
  timestamp: string;
}

export const LEVEL_ORDER: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

/** True when a log at `level` is kept under a minimum level. */
export function keeps(minimum: LogLevel | undefined, level: LogLevel): boolean {
  return !minimum || LEVEL_ORDER[level] >= LEVEL_ORDER[minimum];
}

/** A TaskLogger whose every level goes to one function. */
export function loggerOf(log: (level: LogLevel, message: string) => void): TaskLogger {
  return {
    trace: (m) => log("TRACE", m),
    debug: (m) => log("DEBUG", m),
    info: (m) => log("INFO", m),
    warn: (m) => log("WARN", m),
    error: (m) => log("ERROR", m),
  };
}
