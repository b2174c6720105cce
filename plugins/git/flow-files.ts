import type { TaskRunContext } from "@/engine/plugin";

/** The flow files of a git directory: `.yml` and `.yaml`. */
export const isFlowFile = (path: string): boolean => /\.ya?ml$/i.test(path);

/**
 * The namespace a flow file belongs to: files at the top of the git directory go to `base`, files in
 * folders to its child namespaces (`a/b/x.yml` -> `base.a.b`) — the layout PushFlows writes.
 */
export function namespaceOfPath(base: string, path: string): string {
  const folders = path.split("/").slice(0, -1);
  return [base, ...folders].join(".");
}

/** The folder a namespace's flows go to in the git directory (`base.a.b` -> `a/b/`, `base` -> ``). */
export function folderOfNamespace(base: string, namespace: string): string {
  if (namespace === base) return "";
  return `${namespace
    .slice(base.length + 1)
    .split(".")
    .join("/")}/`;
}

/**
 * The flow's YAML with its top-level `namespace:` set to `namespace`: only that line changes (comments and
 * layout kept), as Kestra's sync tasks do. Other namespace mentions (Flow triggers, subflows) are left alone.
 */
export function withNamespace(source: string, namespace: string): string {
  const line = /^namespace:[ \t]*[^\r\n]*$/m;
  if (!line.test(source)) return `namespace: ${namespace}\n${source}`;
  return source.replace(line, `namespace: ${namespace}`);
}

/** The flow service, or a clear failure when this engine gives tasks none. */
export function requireFlows(ctx: TaskRunContext<unknown>, type: string) {
  const flows = ctx.services.flows;
  if (!flows)
    throw new Error(
      `${type} needs the flow service, which this engine does not provide (run it on a Cadenza server)`,
    );
  return flows;
}

/** Who changes flows: this task run, for the audit log. */
export function originOf(ctx: TaskRunContext<unknown>) {
  return {
    executionId: ctx.execution.id,
    namespace: ctx.execution.namespace,
    flowId: ctx.execution.flowId,
    taskId: ctx.task.id,
  };
}
