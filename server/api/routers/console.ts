// What the console pages need beyond the resource routers: the tenant's part is made from the operation
// table (server/operations/console.ts). Plugin docs and the person's own preferences belong to no tenant:
// any signed-in principal reads the docs, and preferences are the person's own (see the architecture test).
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { consoleOperations } from "../../operations/console";
import { listPluginDocs, pluginDoc } from "../../services/plugin-docs";
import { getPreferences, preferencesSchema, updatePreferences } from "../../services/preferences";
import { proceduresOf } from "../from-operations";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const consoleRouter = createTRPCRouter({
  ...proceduresOf(consoleOperations),
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
