// The signed-in person, outside any one tenant: who they are, their tenants, new tenants, invitations.
import { z } from "zod";
import { acceptInvitation, createTenant, invitationPreview, myTenants } from "../../services/account";
import { tenantSlug } from "../../services/schemas";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";

export const accountRouter = createTRPCRouter({
  me: protectedProcedure.query(async ({ ctx }) => ({
    principal: {
      kind: ctx.principal.kind,
      id: ctx.principal.id,
      name: ctx.principal.name,
      via: ctx.principal.via,
    },
    tenants: await myTenants(ctx.db, ctx.principal),
  })),
  createTenant: protectedProcedure
    .input(z.object({ slug: tenantSlug, name: z.string().trim().min(1).max(100) }))
    .mutation(({ ctx, input }) => createTenant(ctx.db, ctx.principal, input, ctx.ip)),
  invitation: publicProcedure
    .input(z.object({ token: z.string().min(10).max(200) }))
    .query(async ({ ctx, input }) => (await invitationPreview(ctx.db, input.token)) ?? null),
  acceptInvitation: protectedProcedure
    .input(z.object({ token: z.string().min(10).max(200) }))
    .mutation(({ ctx, input }) => acceptInvitation(ctx.db, ctx.principal, input.token, ctx.ip)),
});
