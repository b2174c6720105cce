// Blueprints: Cadenza's own (community) and the tenant's (custom). BLUEPRINT is tenant-wide.
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
} from "../services/blueprints";
import { blueprintInput, communityBlueprintId, customBlueprintId } from "../services/schemas";
import { defineOperation, tenantWide } from "./operation";

/** Text and tags (REST pages the list itself, from its own `page` and `size`). */
const search = z.object({
  q: z.string().max(200).optional(),
  tags: z.array(z.string().max(40)).max(20).optional(),
});
/** No input but the tenant (typed `object`: an empty zod object would refuse every key, `tenant` too). */
const none: z.ZodType<object, object> = z.object({});

export const blueprintOperations = {
  communitySearch: defineOperation({
    name: "blueprints.communitySearch",
    kind: "query",
    input: search,
    permission: tenantWide("BLUEPRINT", "READ"),
    run: (_scope, input) => searchCommunityBlueprints(input),
  }),
  communityTags: defineOperation({
    name: "blueprints.communityTags",
    kind: "query",
    input: none,
    permission: tenantWide("BLUEPRINT", "READ"),
    run: () => communityBlueprintTags(),
  }),
  community: defineOperation({
    name: "blueprints.community",
    kind: "query",
    input: z.object({ id: communityBlueprintId }),
    permission: tenantWide("BLUEPRINT", "READ"),
    run: (_scope, input) => getCommunityBlueprint(input.id),
  }),
  customSearch: defineOperation({
    name: "blueprints.customSearch",
    kind: "query",
    input: search,
    permission: tenantWide("BLUEPRINT", "READ"),
    run: (scope, input) => searchCustomBlueprints(scope, input),
  }),
  customTags: defineOperation({
    name: "blueprints.customTags",
    kind: "query",
    input: none,
    permission: tenantWide("BLUEPRINT", "READ"),
    run: (scope) => customBlueprintTags(scope),
  }),
  custom: defineOperation({
    name: "blueprints.custom",
    kind: "query",
    input: z.object({ id: customBlueprintId }),
    permission: tenantWide("BLUEPRINT", "READ"),
    run: (scope, input) => getCustomBlueprint(scope, input.id),
  }),
  create: defineOperation({
    name: "blueprints.create",
    kind: "mutation",
    audit: { resourceType: "BLUEPRINT", actions: ["CREATE"] },
    input: blueprintInput,
    permission: tenantWide("BLUEPRINT", "CREATE"),
    run: (scope, input) => createCustomBlueprint(scope, input),
  }),
  update: defineOperation({
    name: "blueprints.update",
    kind: "mutation",
    audit: { resourceType: "BLUEPRINT", actions: ["UPDATE"] },
    input: blueprintInput.extend({ id: customBlueprintId }),
    permission: tenantWide("BLUEPRINT", "UPDATE"),
    run: (scope, input) => updateCustomBlueprint(scope, input.id, input),
  }),
  delete: defineOperation({
    name: "blueprints.delete",
    kind: "mutation",
    audit: { resourceType: "BLUEPRINT", actions: ["DELETE"] },
    input: z.object({ id: customBlueprintId }),
    permission: tenantWide("BLUEPRINT", "DELETE"),
    run: (scope, input) => deleteCustomBlueprint(scope, input.id),
  }),
};
