// The pages of ARCHITECTURE §8, as the navigation shows them: each with one sentence saying what it is
// for (its subtitle, and its card on the welcome page).

export interface Section {
  href: string;
  label: string;
  group: "Orchestrate" | "Organise" | "Administer";
  /** One sentence: what this page is for. */
  purpose: string;
}

export const sections: Section[] = [
  {
    href: "/dashboard",
    label: "Dashboard",
    group: "Orchestrate",
    purpose: "The health of your flows at a glance.",
  },
  {
    href: "/flows",
    label: "Flows",
    group: "Orchestrate",
    purpose: "Your flows, written in Kestra's YAML, with every saved revision kept.",
  },
  {
    href: "/executions",
    label: "Executions",
    group: "Orchestrate",
    purpose: "Every run of every flow, live.",
  },
  {
    href: "/triggers",
    label: "Triggers & backfills",
    group: "Orchestrate",
    purpose: "What starts your flows: schedules, other flows, webhooks.",
  },
  {
    href: "/namespaces",
    label: "Namespaces",
    group: "Organise",
    purpose: "The dot-separated folders (`company.team.project`) that hold flows, and what they share.",
  },
  {
    href: "/plugins",
    label: "Plugins",
    group: "Organise",
    purpose: "Every task, trigger and condition a flow can use: properties, defaults, outputs and examples.",
  },
  {
    href: "/blueprints",
    label: "Blueprints",
    group: "Organise",
    purpose: "Working flows to start from, searchable by tag and plugin.",
  },
  {
    href: "/team",
    label: "Team",
    group: "Administer",
    purpose: "Who can do what in this tenant.",
  },
  {
    href: "/api-tokens",
    label: "API tokens",
    group: "Administer",
    purpose: "Tokens for automation: the REST API and `cadenza flow deploy`.",
  },
  {
    href: "/service-accounts",
    label: "Service accounts",
    group: "Administer",
    purpose: "Non-human principals for CI and other systems, with their own roles and tokens.",
  },
  {
    href: "/settings",
    label: "Settings",
    group: "Administer",
    purpose: "The tenant's name and settings.",
  },
  {
    href: "/audit-log",
    label: "Audit log",
    group: "Administer",
    purpose: "Who changed what, and when: every change made through the UI or the API.",
  },
];

export function section(href: string): Section {
  const found = sections.find((s) => s.href === href);
  if (!found) throw new Error(`no section ${href}`);
  return found;
}
