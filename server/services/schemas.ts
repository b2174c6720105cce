// The zod schemas of the API's inputs, shared by the REST routes (which also turn them into the OpenAPI
// document) and the tRPC procedures, so both validate the same way.
import { z } from "zod";
import { EXECUTION_KINDS } from "@/engine/executor";
import { FLOW_ID, NAMESPACE } from "@/engine/flow";
import { ACTIONS, PERMISSIONS } from "../access/permissions";
import { SECRET_NAME } from "../secrets/service";
import { TENANT_SLUG } from "./account";
import { LOG_LEVELS, STATES } from "./executions";
import { SERVICE_ACCOUNT_NAME } from "./service-accounts";
import { GROUP_NAME } from "./team";

export const tenantSlug = z
  .string()
  .regex(TENANT_SLUG, "a tenant slug: lower-case letters, digits and dashes")
  .meta({
    description: "Tenant slug, e.g. `main`.",
  });
export const namespace = z
  .string()
  .max(150)
  .regex(NAMESPACE, "a namespace: lower-case letters, digits, dots, _ and -")
  .meta({ description: "Namespace, e.g. `company.team`." });
/** A namespace's allow-list: namespaces (each with its descendants) or `*` for every namespace. */
export const allowedNamespaces = z
  .array(z.union([namespace, z.literal("*")]))
  .max(200)
  .meta({
    description: "Namespaces whose flows may reach this one besides itself and its descendants; `*`: all.",
  });
export const flowId = z.string().max(100).regex(FLOW_ID, "a flow id: letters, digits, ., _ and -");
export const executionId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "an execution id");
export const taskRunId = executionId;
export const kvKey = z
  .string()
  .max(255)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "a KV key: letters, digits, ., _ and -");
export const secretName = z
  .string()
  .regex(SECRET_NAME, "a secret name: letters, digits, ., _ and -, not starting with a digit");
export const triggerId = z
  .string()
  .max(100)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]*$/, "a trigger id");
export const entityId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "an id");
export const serviceAccountName = z
  .string()
  .regex(SERVICE_ACCOUNT_NAME, "lower-case letters, digits, ., _ and -");
export const groupName = z.string().regex(GROUP_NAME, "letters, digits, spaces, ., _ and -");
export const roleName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, "letters, digits, spaces, ., _ and -");
export const grant = z
  .string()
  .regex(
    new RegExp(`^(${PERMISSIONS.join("|")}):(${ACTIONS.join("|")})$`),
    "PERMISSION:ACTION, e.g. FLOW:READ",
  );
export const roleRef = z
  .string()
  .min(1)
  .max(64)
  .meta({ description: "Admin, Editor, Launcher, Viewer, or a custom role's name or id." });
export const subjectType = z.enum(["USER", "GROUP", "SERVICE_ACCOUNT"]);
export const state = z.enum(STATES);
/** Kestra's execution kinds as a filter: NORMAL is a normal execution (no kind stored). */
export const executionKind = z.enum(["NORMAL", ...EXECUTION_KINDS]).meta({
  description:
    "Kestra's execution kind: NORMAL, LOOP (one iteration of a Loop), PLAYGROUND or TEST. Unset: every kind but LOOP.",
});
export const logLevel = z.enum(LOG_LEVELS);
export const email = z
  .string()
  .trim()
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, "an email address");

/** `key:value` (Kestra's `labels` query parameter). */
export const labelText = z
  .string()
  .regex(/^[^:]+:.*$/, "a label is key:value")
  .transform((text) => {
    const at = text.indexOf(":");
    return { key: text.slice(0, at), value: text.slice(at + 1) };
  });
export const label = z.object({ key: z.string().min(1).max(255), value: z.string().max(1000) });

/** PostgreSQL's `integer`: a revision past it is refused as input, never sent to the database to overflow. */
export const PG_INT_MAX = 2_147_483_647;
/** A flow revision (1, 2, ...) as an input; a REST query carries it as text (server/rest/wire.ts). */
export const revisionNumber = z.number().int().min(1).max(PG_INT_MAX);

export const page = z.coerce
  .number()
  .int()
  .min(1)
  .max(PG_INT_MAX)
  .default(1)
  .meta({ description: "1-based page number." });
export const size = z.coerce
  .number()
  .int()
  .min(1)
  .max(200)
  .default(25)
  .meta({ description: "Results per page (at most 200)." });
export const isoDate = z.coerce.date();

/** A query parameter that may repeat: one value or several. */
export function repeated<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (value) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]),
    z.array(item).optional(),
  );
}

export const booleanText = z
  .union([z.boolean(), z.enum(["true", "false", "1", "0"])])
  .transform((value) => value === true || value === "true" || value === "1");

export const expiresAt = z.coerce
  .date()
  .nullable()
  .optional()
  .meta({ description: "ISO date after which the token stops working; omit for no expiry." });

/** Named responses shared by the OpenAPI document. */
export const errorBody = z.object({ message: z.string(), details: z.unknown().optional() }).meta({
  id: "Error",
  description:
    "Every error: a one-line message, and details (e.g. each flow error with its line and column) when there are some.",
});

// ---- blueprints -----------------------------------------------------------------------------------------
export const communityBlueprintId = z
  .string()
  .max(100)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "a blueprint id: lower-case letters, digits and dashes");
export const customBlueprintId = z.uuid({ error: "a blueprint id (a UUID)" });
/** `tags=a&tags=b` or `tags=a,b` (a blueprint search's query): the blueprints carrying all of them. */
export const blueprintTagsText = z
  .preprocess(
    (value) =>
      value === undefined
        ? undefined
        : (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(",")).filter(Boolean),
    z.array(z.string().max(40)).max(20).optional(),
  )
  .meta({ description: "Tags, repeatable or comma-separated: blueprints carrying all of them." });
export const blueprintInput = z.object({
  title: z.string().trim().min(1, "a title").max(120),
  description: z.string().max(20_000).optional().meta({ description: "Markdown." }),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
  source: z.string().min(1).max(1_000_000).meta({ description: "The flow's YAML." }),
});
