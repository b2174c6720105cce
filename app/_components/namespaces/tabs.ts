// The tabs of a namespace's page, each a deep link (/namespaces/{ns}/{tab}; Overview has no segment).
export const NAMESPACE_TABS = [
  { slug: "", label: "Overview" },
  { slug: "kv", label: "KV store" },
  { slug: "secrets", label: "Secrets" },
  { slug: "files", label: "Files" },
  { slug: "dependencies", label: "Dependencies" },
] as const;

export type NamespaceTab = (typeof NAMESPACE_TABS)[number]["slug"];

export const namespaceHref = (namespace: string, tab: NamespaceTab = "") =>
  `/namespaces/${encodeURIComponent(namespace)}${tab ? `/${tab}` : ""}`;
