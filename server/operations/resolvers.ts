// Namespace resolvers that read something first: the execution an id names, the flow a YAML source
// declares. (An input field is fromInput() in operation.ts.)
import { parseDocument } from "yaml";
import { NotFoundError } from "../services/errors";
import type { NamespaceResolver } from "./operation";

/** The namespace of the execution whose id is in `field`; 404 when the tenant has no such execution. */
export function fromExecution<I>(field: keyof I & string): NamespaceResolver<I> {
  return {
    from: "execution",
    field,
    async resolve(scope, input) {
      const id = input[field] as string;
      const found = await scope.db.execution.findUnique({ where: { id }, select: { namespace: true } });
      if (!found) throw new NotFoundError(`Execution ${id} not found.`);
      return found.namespace;
    },
  };
}

/**
 * The `namespace:` a flow's YAML declares (its first document). A source that declares none (or is not
 * YAML) resolves to nothing: the permission is then needed somewhere, and the service refuses the flow.
 */
export function fromFlowSource<I>(field: keyof I & string): NamespaceResolver<I> {
  return {
    from: "flow-source",
    field,
    resolve(_scope, input) {
      try {
        const value = parseDocument(input[field] as string, { uniqueKeys: false }).toJS({
          maxAliasCount: 100,
        });
        const namespace = (value as { namespace?: unknown } | null)?.namespace;
        return typeof namespace === "string" ? namespace : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
