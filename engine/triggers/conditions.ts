import type { ExprFunction, RenderOptions } from "../expr";
import { isTruthy, renderTreeAsync } from "../expr";
import type { PluginRegistry } from "../plugin/registry";
import type { ConditionContext, TriggeringExecution } from "../plugin/types";

export interface ConditionScope {
  registry: PluginRegistry;
  flow: { namespace: string; id: string };
  execution?: TriggeringExecution;
  date?: Date;
  now: Date;
  /** Randomness for randomInt()/uuid() in templates: the driver's, so a replay sees the same numbers. */
  random: () => number;
  /** Variables templates in conditions see (`trigger.*`, the upstream execution's outputs...). */
  variables: Record<string, unknown>;
  functions?: Record<string, ExprFunction>;
}

/**
 * Evaluates conditions one by one; returns which hold. A condition type without `test` (the deprecated
 * MultipleCondition) never holds: its stateful window is replaced by Flow trigger preconditions.
 */
export async function testConditions(
  conditions: readonly { type: string }[],
  scope: ConditionScope,
): Promise<boolean[]> {
  const context: ConditionContext = {
    flow: scope.flow,
    execution: scope.execution,
    date: scope.date,
    now: scope.now,
    render: (template) => renderTreeAsync(template, scope.variables, scopeOptions(scope)),
    test: (nested) => testConditions(nested, scope),
  };
  const results: boolean[] = [];
  for (const condition of conditions) {
    const plugin = scope.registry.get(condition.type);
    if (plugin?.kind !== "condition" || !plugin.test) {
      results.push(false);
      continue;
    }
    const { type: _type, ...properties } = condition as Record<string, unknown>;
    const parsed = plugin.schema.safeParse(properties);
    results.push(parsed.success ? await plugin.test(parsed.data as never, context) : false);
  }
  return results;
}

/**
 * True when the trigger's `when` (Kestra 2.0, on every trigger; rendered with the trigger's variables and
 * read as runIf is) holds and every condition holds. No `when` and an empty list hold.
 */
export async function allConditionsHold(
  conditions: readonly { type: string }[] | undefined,
  scope: ConditionScope,
  when?: unknown,
): Promise<boolean> {
  if (when !== undefined && when !== null) {
    const rendered = await renderTreeAsync(when, scope.variables, scopeOptions(scope));
    if (!isTruthy(rendered)) return false;
  }
  if (!conditions?.length) return true;
  return (await testConditions(conditions, scope)).every(Boolean);
}

function scopeOptions(scope: ConditionScope): RenderOptions {
  return { functions: scope.functions, now: () => scope.now, random: scope.random };
}
