// The executions list's filters as URL query parameters (deep links):
//   namespace, flowId, state (repeatable), labels (key:value, repeatable), range (1h, 24h, 7d, 30d, all —
//   default 7d) or from/to (ISO dates), triggerType, parentId, kind (NORMAL, LOOP...: unset, all but a
//   Loop's iterations).
export const RANGES = [
  { value: "1h", label: "Last hour", ms: 3_600_000 },
  { value: "24h", label: "Last 24 hours", ms: 86_400_000 },
  { value: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { value: "30d", label: "Last 30 days", ms: 30 * 86_400_000 },
  { value: "all", label: "All time", ms: 0 },
  { value: "custom", label: "Custom…", ms: 0 },
] as const;
export type RangeValue = (typeof RANGES)[number]["value"];

/** Executions per page of the list (the page's server side reads the first one with it). */
export const PAGE_SIZE = 50;

export const TRIGGER_TYPES = ["Schedule", "Flow", "Webhook", "Http", "Kafka", "Trigger"] as const;

/** Kestra's execution kinds; the list shows every kind but LOOP (a Loop's iterations) unless one is chosen. */
export const EXECUTION_KINDS = ["NORMAL", "LOOP", "PLAYGROUND", "TEST"] as const;
type KindFilter = (typeof EXECUTION_KINDS)[number];

export interface ListParams {
  namespace: string;
  flowId: string;
  states: string[];
  labels: { key: string; value: string }[];
  range: RangeValue;
  from: string;
  to: string;
  triggerType: string;
  parentId: string;
  /** "" (all but LOOP) or one of EXECUTION_KINDS. */
  kind: string;
}

export function readParams(search: URLSearchParams): ListParams {
  const range = (search.get("range") ?? (search.get("from") ? "custom" : "7d")) as RangeValue;
  return {
    namespace: search.get("namespace") ?? "",
    flowId: search.get("flowId") ?? "",
    states: search.getAll("state").filter(Boolean),
    labels: search
      .getAll("labels")
      .map((text) => {
        const at = text.indexOf(":");
        return at > 0 ? { key: text.slice(0, at), value: text.slice(at + 1) } : null;
      })
      .filter((l): l is { key: string; value: string } => l !== null),
    range: RANGES.some((r) => r.value === range) ? range : "7d",
    from: search.get("from") ?? "",
    to: search.get("to") ?? "",
    triggerType: search.get("triggerType") ?? "",
    parentId: search.get("parentId") ?? "",
    kind: (EXECUTION_KINDS as readonly string[]).includes(search.get("kind") ?? "")
      ? (search.get("kind") as string)
      : "",
  };
}

export function writeParams(params: ListParams): string {
  const search = new URLSearchParams();
  if (params.namespace) search.set("namespace", params.namespace);
  if (params.flowId) search.set("flowId", params.flowId);
  for (const s of params.states) search.append("state", s);
  for (const l of params.labels) search.append("labels", `${l.key}:${l.value}`);
  if (params.range !== "7d") search.set("range", params.range);
  if (params.range === "custom") {
    if (params.from) search.set("from", params.from);
    if (params.to) search.set("to", params.to);
  }
  if (params.triggerType) search.set("triggerType", params.triggerType);
  if (params.parentId) search.set("parentId", params.parentId);
  if (params.kind) search.set("kind", params.kind);
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** The server's filter for these parameters at `now` (the range's start moves with time). */
export function toFilter(params: ListParams, now: number) {
  const range = RANGES.find((r) => r.value === params.range);
  const from =
    params.range === "custom"
      ? params.from
        ? new Date(params.from)
        : undefined
      : range && range.ms > 0
        ? new Date(now - range.ms)
        : undefined;
  const to = params.range === "custom" && params.to ? new Date(params.to) : undefined;
  return {
    ...(params.namespace ? { namespace: params.namespace } : {}),
    ...(params.flowId ? { flowId: params.flowId } : {}),
    ...(params.states.length ? { states: params.states as never[] } : {}),
    ...(params.labels.length ? { labels: params.labels } : {}),
    ...(from && !Number.isNaN(from.getTime()) ? { from } : {}),
    ...(to && !Number.isNaN(to.getTime()) ? { to } : {}),
    ...(params.triggerType ? { triggerType: params.triggerType } : {}),
    ...(params.parentId ? { parentId: params.parentId } : {}),
    ...(params.kind ? { kind: params.kind as KindFilter } : {}),
  };
}

export function labelsText(labels: { key: string; value: string }[]): string {
  return labels.map((l) => `${l.key}:${l.value}`).join(" ");
}

export function parseLabels(text: string): { key: string; value: string }[] {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => {
      const at = part.indexOf(":");
      return at > 0 ? { key: part.slice(0, at), value: part.slice(at + 1) } : null;
    })
    .filter((l): l is { key: string; value: string } => l !== null);
}
