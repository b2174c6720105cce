import type { SearchAttributePair } from "@temporalio/common";
import { upsertSearchAttributes } from "@temporalio/workflow";
import type { Execution } from "@/engine/executor";
import { SEARCH_ATTRIBUTES } from "../names";

/**
 * Keeps the run's search attributes (names.ts's SEARCH_ATTRIBUTES) in line with the execution: the first
 * call sets them all, later ones upsert what changed (state, labels), so a step that changes neither adds
 * nothing to the history. Only the attributes the namespace has registered (`registered`) are set: an
 * unknown one would fail the workflow task.
 */
export function searchAttributeIndexer(registered: string[], tenantId: string) {
  const known = new Set(registered);
  const last = new Map<string, string>();
  return (execution: Execution): void => {
    const values: SearchAttributePair[] = [
      { key: SEARCH_ATTRIBUTES.tenant, value: tenantId },
      { key: SEARCH_ATTRIBUTES.namespace, value: execution.namespace },
      { key: SEARCH_ATTRIBUTES.flowId, value: execution.flowId },
      { key: SEARCH_ATTRIBUTES.state, value: execution.state.current },
      { key: SEARCH_ATTRIBUTES.labels, value: execution.labels.map((l) => `${l.key}:${l.value}`) },
    ];
    const changed = values.filter((pair) => {
      if (!known.has(pair.key.name)) return false;
      const value = JSON.stringify(pair.value);
      if (last.get(pair.key.name) === value) return false;
      last.set(pair.key.name, value);
      return true;
    });
    if (changed.length > 0) upsertSearchAttributes(changed);
  };
}
