// What the console pages need beyond the resource routers: the namespace tree and a namespace's overview,
// typed KV entries as typed in a form, flow dependencies, plugin docs, and the person's own preferences.
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { flowDependencies, namespaceDependencies } from "../../services/dependencies";
import { KV_TYPES, type KvType, parseKvText, parseTtl, setKv } from "../../services/kv";
import { namespaceOverview, namespaceTree } from "../../services/namespace-overview";
import { listPluginDocs, pluginDoc } from "../../services/plugin-docs";
import { getPreferences, preferencesSchema, updatePreferences } from "../../services/preferences";
import { flowId, kvKey, namespace } from "../../services/schemas";
import { createTRPCRouter, protectedProcedure, tenantProcedure } from "../trpc";

export const consoleRouter = createTRPCRouter({
  namespaceTree: tenantProcedure.query(({ ctx }) => namespaceTree(ctx.scope)),
  namespaceOverview: tenantProcedure
    .input(z.object({ namespace }))
    .query(({ ctx, input }) => namespaceOverview(ctx.scope, input.namespace)),
  /** A KV entry from a form: the value as text, parsed as its type; the TTL as an ISO-8601 duration. */
  kvSet: tenantProcedure
    .input(
      z.object({
        namespace,
        key: kvKey,
        type: z.enum(KV_TYPES as [KvType, ...KvType[]]),
        value: z.string().max(1_000_000),
        ttl: z.string().max(50).optional(),
        description: z.string().max(1000).optional(),
        overwrite: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      setKv(ctx.scope, input.namespace, input.key, parseKvText(input.type, input.value), {
        type: input.type,
        ...(input.ttl ? { ttlMs: parseTtl(input.ttl) } : {}),
        ...(input.description ? { description: input.description } : {}),
        ...(input.overwrite !== undefined ? { overwrite: input.overwrite } : {}),
      }),
    ),
  flowDependencies: tenantProcedure
    .input(z.object({ namespace, flowId, expandAll: z.boolean().optional() }))
    .query(({ ctx, input }) =>
      flowDependencies(ctx.scope, input.namespace, input.flowId, { expandAll: input.expandAll ?? false }),
    ),
  namespaceDependencies: tenantProcedure
    .input(z.object({ namespace }))
    .query(({ ctx, input }) => namespaceDependencies(ctx.scope, input.namespace)),
  plugins: protectedProcedure.query(() => listPluginDocs()),
  pluginDoc: protectedProcedure.input(z.object({ type: z.string().min(1).max(200) })).query(({ input }) => {
    const doc = pluginDoc(input.type);
    if (!doc) throw new TRPCError({ code: "NOT_FOUND", message: `No plugin ${input.type}.` });
    return doc;
  }),
});

/** A person's own settings: only people have them (a service account's token gets FORBIDDEN). */
export const preferencesRouter = createTRPCRouter({
  get: protectedProcedure.query(({ ctx }) => {
    if (ctx.principal.kind !== "user")
      throw new TRPCError({ code: "FORBIDDEN", message: "Only people have preferences." });
    return getPreferences(ctx.db, ctx.principal.id);
  }),
  update: protectedProcedure.input(preferencesSchema.partial().strict()).mutation(({ ctx, input }) => {
    if (ctx.principal.kind !== "user")
      throw new TRPCError({ code: "FORBIDDEN", message: "Only people have preferences." });
    return updatePreferences(ctx.db, ctx.principal.id, input);
  }),
});
