// The execution page's tabs, in order: a plain module (no "use client") so the server page can validate
// the URL's tab against the same list the client draws.
export const EXECUTION_PAGE_TABS = ["overview", "topology", "gantt", "logs", "outputs", "metrics"] as const;
export type ExecutionPageTab = (typeof EXECUTION_PAGE_TABS)[number];
