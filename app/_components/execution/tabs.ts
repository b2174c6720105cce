// The execution page's tabs, in order: a plain module (no "use client") so the server page can validate
// the URL's tab against the same list the client draws.
export const EXECUTION_PAGE_TABS = ["overview", "topology", "gantt", "logs", "outputs", "metrics"] as const;
export type ExecutionPageTab = (typeof EXECUTION_PAGE_TABS)[number];

/**
 * The Logs tab's window of lines read from the server (server-logs.tsx); the page's server side reads the
 * first one with the page. Here, not in the client module: a server component importing a value from a
 * "use client" module gets a reference to it, not the value.
 */
export const FIRST_LOG_WINDOW = 500;
