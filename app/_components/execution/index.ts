// One execution, live: <ExecutionPage tenant initial tab /> (the /executions/[id]/[[...tab]] page), and its parts.
export { ExecutionPage } from "./execution-page";
export type { ExecutionView, StreamStatus } from "./live";
export { type LogLine, LogView } from "./log-view";
export { StateBadge, TERMINAL } from "./state-badge";
export { EXECUTION_PAGE_TABS, type ExecutionPageTab, FIRST_LOG_WINDOW } from "./tabs";
