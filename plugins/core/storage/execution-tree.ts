/**
 * Which execution a file of the internal storage belongs to, read from its path alone (Kestra's layout,
 * engine/plugin/storage-layout.ts: `kestra:///{namespace as path}/{flowId}/executions/{executionId}/...`).
 * Reading the path rather than the executions lets a purge reach the files of flows that no longer exist.
 */
export interface ExecutionOfFile {
  namespace: string;
  flowId: string;
  executionId: string;
}

const SCHEME = "kestra:///";
const EXECUTIONS = "executions";

/**
 * The execution a file belongs to, or undefined for files outside any execution (namespace files,
 * caches...). Follows the walk of Kestra's StoragePurgeService: segments starting with `_` are reserved
 * (`_files`), and a segment named `executions` is never taken for a flow id, since a sub-namespace of
 * that name looks the same.
 */
export function executionOfFile(uri: string): ExecutionOfFile | undefined {
  if (!uri.startsWith(SCHEME)) return undefined;
  const segments = uri.slice(SCHEME.length).split("/");
  // At least one namespace segment, the flow, `executions`, the execution id and a file below it.
  for (let at = 2; at + 2 < segments.length; at++) {
    const before = segments.slice(0, at);
    if (before.some((segment) => segment === "" || segment.startsWith("_"))) return undefined;
    const flowId = segments[at - 1] as string;
    const executionId = segments[at + 1] as string;
    if (segments[at] !== EXECUTIONS || flowId === EXECUTIONS || executionId === "") continue;
    return { namespace: segments.slice(0, at - 1).join("."), flowId, executionId };
  }
  return undefined;
}

/** `namespace` is `scope` or one of its descendants. */
export const inNamespaceTree = (namespace: string, scope: string): boolean =>
  namespace === scope || namespace.startsWith(`${scope}.`);
