// The one way an operation runs, from tRPC and from REST alike: validate the input, find the namespace,
// authorize(), run. A service reached through here need not check its caller's rights again.
import { namespaceFilter } from "../access/authorize";
import type { Action } from "../access/permissions";
import type { ServiceScope } from "../services/scope";
import { check } from "../services/scope";
import type { AnyOperation, PermissionRule, Transport } from "./operation";

/**
 * Throws unless the scope's principal may run `operation` with this (validated) input: 403 without the
 * permission there, 404 when what the namespace is read from does not exist.
 */
export async function authorizeOperation(
  operation: AnyOperation,
  scope: ServiceScope,
  input: unknown,
): Promise<void> {
  const rules = operation.permission;
  if (rules === "authenticated") return; // the scope exists: the principal is a member of the tenant
  for (const rule of Array.isArray(rules) ? rules : [rules]) await authorizeRule(rule, scope, input);
}

async function authorizeRule(
  rule: PermissionRule<unknown>,
  scope: ServiceScope,
  input: unknown,
): Promise<void> {
  const actions: readonly Action[] = typeof rule.action === "string" ? [rule.action] : rule.action;
  const somewhere = (action: Action) => namespaceFilter(scope.principal, rule.resource, action, scope.tenant);
  if (rule.namespace === "tenant") return anyOf(actions, (action) => check(scope, rule.resource, action));
  if (rule.namespace === "any") return anyOf(actions, somewhere);
  // A YAML source is parsed only for a principal who holds the permission somewhere: without it the
  // refusal comes before the parser sees the text (and says "in tenant", not a namespace it read).
  if (rule.namespace.from === "flow-source") anyOf(actions, somewhere);
  const found = await rule.namespace.resolve(scope, input);
  if (found === undefined) return anyOf(actions, somewhere);
  // Several namespaces (a list of flows): each needs it; an empty list names none to check.
  for (const namespace of typeof found === "string" ? [found] : new Set(found))
    anyOf(actions, (action) => check(scope, rule.resource, action, namespace));
}

/** Any one of the actions will do; when none does, the refusal names the first. */
function anyOf(actions: readonly Action[], attempt: (action: Action) => void): void {
  const refusals: unknown[] = [];
  for (const action of actions) {
    try {
      attempt(action);
      return;
    } catch (error) {
      refusals.push(error);
    }
  }
  throw refusals[0];
}

/** Runs an operation whose input is already validated (tRPC parses it with the same schema). */
export async function execute(
  operation: AnyOperation,
  scope: ServiceScope,
  input: unknown,
  transport: Transport = {},
): Promise<unknown> {
  await authorizeOperation(operation, scope, input);
  return operation.run(scope, input, transport);
}

/** Validates the raw input with the operation's schema (400 with the zod issues), then executes it. */
export async function invoke(
  operation: AnyOperation,
  scope: ServiceScope,
  raw: unknown,
  transport: Transport = {},
): Promise<unknown> {
  return execute(operation, scope, operation.input.parse(raw), transport);
}
