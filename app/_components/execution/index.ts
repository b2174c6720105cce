// One execution, live: <ExecutionPage tenant initial tab /> (the /executions/[id]/[[...tab]] page), and its parts.
export { EXECUTION_PAGE_TABS, ExecutionPage, type ExecutionPageTab } from "./execution-page";
export type { ExecutionView, StreamStatus } from "./live";
export { type LogLine, LogView } from "./log-view";
export { StateBadge, TERMINAL } from "./state-badge";
