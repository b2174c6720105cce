// Namespaces, and what lives in one: KV entries and secrets.
import { z } from "zod";
import { deleteSecret, inheritedSecrets, listSecrets, setSecret } from "../secrets/service";
import { deleteKv, getKv, type KvType, listKv, setKv } from "../services/kv";
import {
  createNamespace,
  deleteNamespace,
  getNamespace,
  listNamespaces,
  setAllowedNamespaces,
} from "../services/namespaces";
import { allowedNamespaces, kvKey, namespace, secretName } from "../services/schemas";
import { defineOperation, fromInput } from "./operation";

const onNamespace = fromInput<{ namespace: string }>("namespace");
const ns = z.object({ namespace });
const KV_TYPES = [
  "STRING",
  "NUMBER",
  "BOOLEAN",
  "DATETIME",
  "DATE",
  "DURATION",
  "JSON",
] as const satisfies readonly KvType[];

const MAX_KV_TTL_MS = 100 * 365 * 24 * 60 * 60 * 1000;

export const namespaceOperations = {
  list: defineOperation({
    name: "namespaces.list",
    kind: "query",
    input: z.object({ q: z.string().max(200).optional() }),
    permission: { resource: "NAMESPACE", action: "READ", namespace: "any" },
    run: (scope, input) => listNamespaces(scope, input),
  }),
  get: defineOperation({
    name: "namespaces.get",
    kind: "query",
    input: ns,
    permission: { resource: "NAMESPACE", action: "READ", namespace: onNamespace },
    run: (scope, input) => getNamespace(scope, input.namespace),
  }),
  create: defineOperation({
    name: "namespaces.create",
    kind: "mutation",
    audit: { resourceType: "NAMESPACE", actions: ["CREATE"] },
    input: ns.extend({ description: z.string().max(1000).optional() }),
    permission: { resource: "NAMESPACE", action: "CREATE", namespace: onNamespace },
    run: (scope, input) => createNamespace(scope, input.namespace, input.description),
  }),
  delete: defineOperation({
    name: "namespaces.delete",
    kind: "mutation",
    audit: { resourceType: "NAMESPACE", actions: ["DELETE"] },
    input: ns,
    permission: { resource: "NAMESPACE", action: "DELETE", namespace: onNamespace },
    run: (scope, input) => deleteNamespace(scope, input.namespace),
  }),
  setAllowedNamespaces: defineOperation({
    name: "namespaces.setAllowedNamespaces",
    kind: "mutation",
    audit: { resourceType: "NAMESPACE", actions: ["UPDATE"] },
    input: ns.extend({ allowedNamespaces }),
    permission: { resource: "NAMESPACE", action: "UPDATE", namespace: onNamespace },
    run: (scope, input) => setAllowedNamespaces(scope, input.namespace, input.allowedNamespaces),
  }),
  kv: defineOperation({
    name: "namespaces.kv",
    kind: "query",
    input: ns,
    permission: { resource: "KVSTORE", action: "READ", namespace: onNamespace },
    run: (scope, input) => listKv(scope, input.namespace),
  }),
  kvGet: defineOperation({
    name: "namespaces.kvGet",
    kind: "query",
    input: ns.extend({ key: kvKey }),
    permission: { resource: "KVSTORE", action: "READ", namespace: onNamespace },
    run: (scope, input) => getKv(scope, input.namespace, input.key),
  }),
  /** CREATE for a new key, UPDATE for an existing one: the service checks which once it has looked. */
  kvSet: defineOperation({
    name: "namespaces.kvSet",
    kind: "mutation",
    audit: { resourceType: "KVSTORE", actions: ["CREATE", "UPDATE"] },
    input: ns.extend({
      key: kvKey,
      value: z.unknown(),
      // At most a century: beyond, the expiry is no longer a date PostgreSQL (or JavaScript) can hold.
      ttlMs: z.number().int().positive().max(MAX_KV_TTL_MS).optional(),
      type: z.enum(KV_TYPES).optional(),
      description: z.string().max(1000).optional(),
    }),
    permission: { resource: "KVSTORE", action: ["CREATE", "UPDATE"], namespace: onNamespace },
    run: (scope, { namespace: where, key, value, ...options }) => setKv(scope, where, key, value, options),
  }),
  kvDelete: defineOperation({
    name: "namespaces.kvDelete",
    kind: "mutation",
    audit: { resourceType: "KVSTORE", actions: ["DELETE"] },
    input: ns.extend({ key: kvKey }),
    permission: { resource: "KVSTORE", action: "DELETE", namespace: onNamespace },
    run: (scope, input) => deleteKv(scope, input.namespace, input.key),
  }),
  secrets: defineOperation({
    name: "namespaces.secrets",
    kind: "query",
    input: ns,
    permission: { resource: "SECRET", action: "READ", namespace: onNamespace },
    run: (scope, input) => listSecrets(scope, input.namespace),
  }),
  inheritedSecrets: defineOperation({
    name: "namespaces.inheritedSecrets",
    kind: "query",
    input: ns,
    permission: { resource: "SECRET", action: "READ", namespace: onNamespace },
    run: (scope, input) => inheritedSecrets(scope, input.namespace),
  }),
  /** CREATE for a new name, UPDATE for an existing one (checked by the service once it has looked). */
  secretSet: defineOperation({
    name: "namespaces.secretSet",
    kind: "mutation",
    audit: { resourceType: "SECRET", actions: ["CREATE", "UPDATE"] },
    input: ns.extend({
      key: secretName,
      value: z.string().max(65_536),
      description: z.string().max(1000).optional(),
    }),
    permission: { resource: "SECRET", action: ["CREATE", "UPDATE"], namespace: onNamespace },
    run: (scope, input) => setSecret(scope, input.namespace, input.key, input.value, input.description),
  }),
  secretDelete: defineOperation({
    name: "namespaces.secretDelete",
    kind: "mutation",
    audit: { resourceType: "SECRET", actions: ["DELETE"] },
    input: ns.extend({ key: secretName }),
    permission: { resource: "SECRET", action: "DELETE", namespace: onNamespace },
    run: (scope, input) => deleteSecret(scope, input.namespace, input.key),
  }),
};
