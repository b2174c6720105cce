// Blueprints for the UI: the same services as REST's /blueprints/community and /blueprints/custom.
import { z } from "zod";
import {
  communityBlueprintTags,
  createCustomBlueprint,
  customBlueprintTags,
  deleteCustomBlueprint,
  getCommunityBlueprint,
  getCustomBlueprint,
  searchCommunityBlueprints,
  searchCustomBlueprints,
  updateCustomBlueprint,
} from "../../services/blueprints";
import { blueprintInput, communityBlueprintId, customBlueprintId } from "../../services/schemas";
import { createTRPCRouter, tenantProcedure } from "../trpc";

const search = z.object({
  q: z.string().max(200).optional(),
  tags: z.array(z.string().max(40)).max(20).optional(),
});

export const blueprintsRouter = createTRPCRouter({
  communitySearch: tenantProcedure
    .input(search)
    .query(({ ctx, input }) => searchCommunityBlueprints(ctx.scope, input)),
  communityTags: tenantProcedure.query(({ ctx }) => communityBlueprintTags(ctx.scope)),
  community: tenantProcedure
    .input(z.object({ id: communityBlueprintId }))
    .query(({ ctx, input }) => getCommunityBlueprint(ctx.scope, input.id)),
  customSearch: tenantProcedure
    .input(search)
    .query(({ ctx, input }) => searchCustomBlueprints(ctx.scope, input)),
  customTags: tenantProcedure.query(({ ctx }) => customBlueprintTags(ctx.scope)),
  custom: tenantProcedure
    .input(z.object({ id: customBlueprintId }))
    .query(({ ctx, input }) => getCustomBlueprint(ctx.scope, input.id)),
  create: tenantProcedure
    .input(blueprintInput)
    .mutation(({ ctx, input }) => createCustomBlueprint(ctx.scope, input)),
  update: tenantProcedure
    .input(blueprintInput.extend({ id: customBlueprintId }))
    .mutation(({ ctx, input }) => updateCustomBlueprint(ctx.scope, input.id, input)),
  delete: tenantProcedure
    .input(z.object({ id: customBlueprintId }))
    .mutation(({ ctx, input }) => deleteCustomBlueprint(ctx.scope, input.id)),
});
