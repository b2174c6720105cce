// The one way an operation runs, from tRPC and from REST alike: validate the input, find the namespace,
// authorize(), run. A service reached through here need not check its caller's rights again.
import { namespaceFilter } from "../access/authorize";
import type { ServiceScope } from "../services/scope";
import { check } from "../services/scope";
import type { AnyOperation, Transport } from "./operation";

/**
 * Throws unless the scope's principal may run `operation` with this (validated) input: 403 without the
 * permission there, 404 when what the namespace is read from does not exist.
 */
export async function authorizeOperation(
  operation: AnyOperation,
  scope: ServiceScope,
  input: unknown,
): Promise<void> {
  const rule = operation.permission;
  if (rule === "authenticated") return; // the scope exists: the principal is a member of the tenant
  if (rule.namespace === "tenant") return check(scope, rule.resource, rule.action);
  const namespace = rule.namespace === "any" ? undefined : await rule.namespace.resolve(scope, input);
  if (namespace === undefined) namespaceFilter(scope.principal, rule.resource, rule.action, scope.tenant);
  else check(scope, rule.resource, rule.action, namespace);
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
