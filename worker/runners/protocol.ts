import type { LogLevel, Metric } from "@/engine/plugin";

/**
 * Kestra's script line protocol: a stdout (or stderr) line `::{...}::` whose JSON holds `outputs` (merged into
 * the task's `vars`), `metrics` (counters and timers) and `logs` (lines at a level). Same pattern as Kestra's
 * PluginUtilsService: `^::(\{.*})::$`.
 */
const PATTERN = /^::(\{.*\})::$/;

const LEVELS = new Set<LogLevel>(["TRACE", "DEBUG", "INFO", "WARN", "ERROR"]);

export interface ProtocolMessage {
  outputs?: Record<string, unknown>;
  metrics: Metric[];
  logs: { level: LogLevel; message: string }[];
}

export type ParsedLine =
  | { kind: "plain" }
  | { kind: "message"; message: ProtocolMessage }
  | { kind: "invalid"; error: string };

const isMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

function metricOf(value: unknown): Metric | string {
  if (!isMap(value)) return "a metric is a map with name, type and value";
  const { name, type, value: amount, tags } = value;
  if (typeof name !== "string" || !name) return "a metric needs a name";
  if (type !== "counter" && type !== "timer") return `metric '${name}': type must be counter or timer`;
  if (typeof amount !== "number" || !Number.isFinite(amount))
    return `metric '${name}': value must be a number`;
  const metric: Metric = { name, type, value: amount };
  if (isMap(tags) && Object.keys(tags).length > 0) {
    metric.tags = Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, String(v)]));
  }
  return metric;
}

/** Reads one line: plain text, a protocol message, or a protocol line whose JSON is invalid. */
export function parseLine(line: string): ParsedLine {
  const match = PATTERN.exec(line);
  if (!match) return { kind: "plain" };
  let data: unknown;
  try {
    data = JSON.parse(match[1] as string);
  } catch (error) {
    return { kind: "invalid", error: (error as Error).message };
  }
  if (!isMap(data)) return { kind: "invalid", error: "expected a JSON object" };
  const message: ProtocolMessage = { metrics: [], logs: [] };
  if (data.outputs !== undefined && data.outputs !== null) {
    if (!isMap(data.outputs)) return { kind: "invalid", error: "outputs must be a map" };
    message.outputs = data.outputs;
  }
  if (Array.isArray(data.metrics)) {
    for (const item of data.metrics) {
      const metric = metricOf(item);
      if (typeof metric === "string") return { kind: "invalid", error: metric };
      message.metrics.push(metric);
    }
  }
  if (Array.isArray(data.logs)) {
    for (const item of data.logs) {
      if (!isMap(item)) continue;
      const level = String(item.level ?? "INFO").toUpperCase() as LogLevel;
      message.logs.push({
        level: LEVELS.has(level) ? level : "INFO",
        message: typeof item.message === "string" ? item.message : JSON.stringify(item.message),
      });
    }
  }
  return { kind: "message", message };
}
