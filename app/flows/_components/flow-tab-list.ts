// The flow page's tabs, in order (shared by the server page and the client tab bar).
export const FLOW_TABS = [
  { id: "overview", label: "Overview" },
  { id: "edit", label: "Edit" },
  { id: "revisions", label: "Revisions" },
  { id: "executions", label: "Executions" },
  { id: "triggers", label: "Triggers" },
] as const;

export type FlowTab = (typeof FLOW_TABS)[number]["id"];
