// One execution, live: <ExecutionLive tenant initial /> (the /executions/[id] page), and its parts.
export { ExecutionLive, type ExecutionView, type StreamStatus } from "./execution-live";
export { type LogLine, LogView } from "./log-view";
export { StateBadge, TERMINAL } from "./state-badge";
