// One operation of the API, defined once: its input schema, what it needs to be allowed (a permission ×
// action on a namespace found from the input, or an explicit "authenticated" / "public" / "webhook-key"),
// and the service call. tRPC procedures (trpc.ts) and REST routes (server/rest/routes) are made from these
// definitions, and the adapter (adapter.ts) — not each service — calls authorize() before `run`. A mutation
// also declares the audit entry it writes (`audit`): its service writes it, inside the change's transaction;
// the declaration feeds the OpenAPI entry and the test that runs each mutation and reads the audit log.
import type { z } from "zod";
import type { Action, Permission } from "../access/permissions";
import type { BodyLimits } from "../input-limits";
import type { ServiceScope } from "../services/scope";

type MaybePromise<T> = T | Promise<T>;

/**
 * Where the permission is checked:
 * - `tenant`: tenant-wide (a binding on a namespace does not give it);
 * - `any`: on some namespace — for lists and searches, whose service narrows the rows with listFilter();
 * - a resolver: on the namespace it finds (and so under its parents' bindings). A resolver that finds
 *   none (a YAML source with no namespace yet) falls back to `any`; the service then refuses the input.
 *   One that finds several (a list of flows) needs the permission on each.
 */
export type NamespaceRule<I> = "tenant" | "any" | NamespaceResolver<I>;

export interface NamespaceResolver<I> {
  /** What it reads, for messages and for the RBAC test that enumerates the table. */
  from: "input" | "execution" | "flow-source" | "refs";
  /** The input field it reads. */
  field: string;
  /** One namespace, or several (each is checked: one refused refuses the whole call). */
  resolve(scope: ServiceScope, input: I): MaybePromise<string | readonly string[] | undefined>;
}

export interface PermissionRule<I> {
  resource: Permission;
  /**
   * Several actions: any one of them lets the operation run, and the service checks the one that applies
   * once it has read what exists (a KV set is CREATE for a new key, UPDATE for an existing one).
   */
  action: Action | readonly Action[];
  namespace: NamespaceRule<I>;
}

/** What the transport adds for the few operations that need it (streams, uploads). */
export interface Transport {
  request?: Request;
  /** The scope built afresh from the same credential: long-lived streams call it now and then. */
  reauthorize?: () => Promise<ServiceScope>;
  limits?: BodyLimits;
}

export type OperationKind = "query" | "mutation";

/** The resource types of the audit log (server/audit), as services write them. */
export type AuditResourceType =
  | "APITOKEN"
  | "BINDING"
  | "BLUEPRINT"
  | "EXECUTION"
  | "FLOW"
  | "GROUP"
  | "INVITATION"
  | "KVSTORE"
  | "NAMESPACE"
  | "NAMESPACE_FILE"
  | "ROLE"
  | "SECRET"
  | "SERVICE_ACCOUNT"
  | "SETTING"
  | "TRIGGER"
  | "USER";

/**
 * What a successful call writes to the audit log: an entry of this resource type with one of these actions
 * (several: which one depends on what exists, or on the input — a KV set is CREATE or UPDATE); or `none`,
 * with why (it changes nothing durable, or each item is audited by the operation that changes it).
 */
export type AuditDeclaration =
  | { resourceType: AuditResourceType; actions: readonly [string, ...string[]]; none?: never }
  | { none: string; resourceType?: never; actions?: never };

/** A mutation must say what it audits (a type error otherwise); a query writes nothing. */
type AuditOf<K extends OperationKind> = K extends "mutation"
  ? { audit: AuditDeclaration }
  : { audit?: undefined };

/** An operation in a tenant: run with a service scope once the adapter has authorized it. */
export type TenantOperation<
  S extends z.ZodType = z.ZodType,
  O = unknown,
  K extends OperationKind = OperationKind,
> = OperationBody<S, O, K> & AuditOf<K>;

interface OperationBody<S extends z.ZodType, O, K extends OperationKind> {
  name: string;
  kind: K;
  input: S;
  /**
   * A permission (several: all of them are needed), or "authenticated": any member of the tenant — for
   * what is theirs alone, or what the service decides from data it reads (a token of one's own or not).
   */
  permission: PermissionRule<z.output<S>> | readonly PermissionRule<z.output<S>>[] | "authenticated";
  run(scope: ServiceScope, input: z.output<S>, transport: Transport): Promise<O> | O;
}

// biome-ignore lint/suspicious/noExplicitAny: the table holds operations of every shape
export type AnyOperation = TenantOperation<any, any, OperationKind>;

export function defineOperation<S extends z.ZodType, O, K extends OperationKind>(
  operation: TenantOperation<S, O, K>,
): TenantOperation<S, O, K> {
  return operation;
}

/** The namespaces of a list of `{ namespace, id }` in an input field (flows named for a bulk action). */
export function fromRefs<I>(field: keyof I & string): NamespaceResolver<I> {
  return {
    from: "refs",
    field,
    resolve: (_scope, input) => (input[field] as { namespace: string }[]).map((ref) => ref.namespace),
  };
}

/** The namespace is an input field. */
export function fromInput<I>(field: keyof I & string): NamespaceResolver<I> {
  return { from: "input", field, resolve: (_scope, input) => input[field] as string | undefined };
}

/** A tenant-wide permission: a binding on a namespace does not give it. */
export function tenantWide(resource: Permission, action: Action) {
  return { resource, action, namespace: "tenant" } as const;
}
