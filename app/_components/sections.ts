// The pages of ARCHITECTURE §8, as the navigation shows them. Each is an empty state until the
// issue that builds it lands: it says what the page will do and what can be done today.

export interface Section {
  href: string;
  label: string;
  group: "Orchestrate" | "Organise" | "Administer";
  /** One sentence: what this page is for. */
  purpose: string;
  /** What it will show once built. */
  willDo: string[];
  /** What a user can do about it today. */
  now: string;
}

export const sections: Section[] = [
  {
    href: "/dashboard",
    label: "Dashboard",
    group: "Orchestrate",
    purpose: "The health of your flows at a glance.",
    willDo: [
      "Executions over time, by state",
      "Recent failures, with a link to each execution",
      "Durations per flow, to spot the slow ones",
    ],
    now: "Open it to see executions over time, failures, the slowest flows and recent error logs.",
  },
  {
    href: "/flows",
    label: "Flows",
    group: "Orchestrate",
    purpose: "Your flows, written in Kestra's YAML, with every saved revision kept.",
    willDo: [
      "Search by namespace and labels",
      "An editor with completion, validation and a live topology graph",
      "Revisions: diff, restore, and execute with a typed inputs form",
    ],
    now: "Keep your flows as YAML files: Kestra flows will be accepted unchanged, so existing ones can be imported as they are once this page lands.",
  },
  {
    href: "/executions",
    label: "Executions",
    group: "Orchestrate",
    purpose: "Every run of every flow, live.",
    willDo: [
      "Filters by namespace, flow, state, labels and date; bulk restart and kill",
      "Per execution: live topology, Gantt chart, streaming logs, outputs",
      "Restart, replay, kill, pause and resume",
    ],
    now: "Filter every execution of the tenant (deep links), watch them live, and restart, replay, kill, resume, relabel or delete them in bulk.",
  },
  {
    href: "/triggers",
    label: "Triggers & backfills",
    group: "Orchestrate",
    purpose: "What starts your flows: schedules, other flows, webhooks.",
    willDo: [
      "Every trigger with its next date, enable and disable",
      "Backfills of a schedule over a date range, with progress and pause",
    ],
    now: "See every trigger with its next date, enable or disable it, unlock it, copy webhook URLs, and backfill schedules with live progress.",
  },
  {
    href: "/namespaces",
    label: "Namespaces",
    group: "Organise",
    purpose: "The dot-separated folders (`company.team.project`) that hold flows, and what they share.",
    willDo: [
      "Key-value store entries",
      "Secrets, encrypted at rest, inherited by child namespaces",
      "Namespace files",
    ],
    now: "Namespaces appear on their own as flows are saved in them; create one ahead to prepare its KV store and secrets.",
  },
  {
    href: "/plugins",
    label: "Plugins",
    group: "Organise",
    purpose: "Every task, trigger and condition a flow can use: properties, defaults, outputs and examples.",
    willDo: ["Search plugins by name", "Read each plugin's generated page"],
    now: "Browse the plugins, or run `cadenza plugins docs` to write the same pages as Markdown.",
  },
  {
    href: "/blueprints",
    label: "Blueprints",
    group: "Organise",
    purpose: "Working flows to start from, searchable by tag and plugin.",
    willDo: ["Browse and search the gallery", "Preview a blueprint's graph", "Use one as a new flow"],
    now: "Open a blueprint, copy its YAML or press Use to start a flow from it.",
  },
  {
    href: "/team",
    label: "Team",
    group: "Administer",
    purpose: "Who can do what in this tenant.",
    willDo: [
      "Members and invitations",
      "Roles (Admin, Editor, Launcher, Viewer, or your own) and bindings, tenant-wide or per namespace",
    ],
    now: "Invite people by link and give them roles on the whole tenant or on a namespace.",
  },
  {
    href: "/api-tokens",
    label: "API tokens",
    group: "Administer",
    purpose: "Tokens for automation: the REST API and `cadenza flow deploy`.",
    willDo: ["Create a token with an expiry (shown once, stored only as a hash)", "Revoke tokens"],
    now: "Create a token, then call the REST API under `/api/v1/{tenant}` (OpenAPI at `/api/v1/openapi.json`).",
  },
  {
    href: "/service-accounts",
    label: "Service accounts",
    group: "Administer",
    purpose: "Non-human principals for CI and other systems, with their own roles and tokens.",
    willDo: ["Create service accounts", "Bind roles to them", "Issue their API tokens"],
    now: "Create a service account, bind it a role, and issue it a token (also through `POST /api/v1/{tenant}/service-accounts`).",
  },
  {
    href: "/settings",
    label: "Settings",
    group: "Administer",
    purpose: "The tenant's name and settings.",
    willDo: ["Rename the tenant", "Edit its settings"],
    now: "Change the tenant's display name and settings.",
  },
  {
    href: "/audit-log",
    label: "Audit log",
    group: "Administer",
    purpose: "Who changed what, and when: every change made through the UI or the API.",
    willDo: ["Search by user, resource and date", "See the change itself"],
    now: "Every change made through the UI or the API is recorded here.",
  },
];

export function section(href: string): Section {
  const found = sections.find((s) => s.href === href);
  if (!found) throw new Error(`no section ${href}`);
  return found;
}
