// The flow workbench's procedures beside the flows router: namespace files, flows in bulk, and the launch
// form's input validation (the REST API serves the same services under Kestra's paths).
import { z } from "zod";
import { namespaceFileOperations } from "../../operations/namespace-files";
import { validateExecutionInputs } from "../../services/execution-inputs";
import {
  deleteFlowsByIds,
  deleteFlowsByQuery,
  disableFlowsByIds,
  disableFlowsByQuery,
  enableFlowsByIds,
  enableFlowsByQuery,
  importFlows,
} from "../../services/flows-bulk";
import { flowId, label, namespace } from "../../services/schemas";
import { routerOf } from "../from-operations";
import { createTRPCRouter, tenantProcedure } from "../trpc";

const flowRefs = z.array(z.object({ namespace, id: flowId })).max(5000);
const flowQuery = z.object({
  q: z.string().max(200).optional(),
  namespace: namespace.optional(),
  labels: z.array(label).optional(),
});

export const namespaceFilesRouter = routerOf(namespaceFileOperations, ["download", "upload"]);

export const flowsBulkRouter = createTRPCRouter({
  enableByIds: tenantProcedure
    .input(z.object({ flows: flowRefs }))
    .mutation(({ ctx, input }) => enableFlowsByIds(ctx.scope, input.flows)),
  disableByIds: tenantProcedure
    .input(z.object({ flows: flowRefs }))
    .mutation(({ ctx, input }) => disableFlowsByIds(ctx.scope, input.flows)),
  deleteByIds: tenantProcedure
    .input(z.object({ flows: flowRefs }))
    .mutation(({ ctx, input }) => deleteFlowsByIds(ctx.scope, input.flows)),
  enableByQuery: tenantProcedure
    .input(flowQuery)
    .mutation(({ ctx, input }) => enableFlowsByQuery(ctx.scope, input)),
  disableByQuery: tenantProcedure
    .input(flowQuery)
    .mutation(({ ctx, input }) => disableFlowsByQuery(ctx.scope, input)),
  deleteByQuery: tenantProcedure
    .input(flowQuery)
    .mutation(({ ctx, input }) => deleteFlowsByQuery(ctx.scope, input)),
  /** Import YAML text (one or more `---` documents); zips go through REST's multipart import. */
  importYaml: tenantProcedure
    .input(z.object({ source: z.string().min(1).max(5_000_000), fileName: z.string().max(255).optional() }))
    .mutation(({ ctx, input }) =>
      importFlows(ctx.scope, {
        fileName: input.fileName ?? "flows.yml",
        content: new TextEncoder().encode(input.source),
      }),
    ),
});

export const executionInputsRouter = createTRPCRouter({
  /** Kestra's validate: each input with its value, whether dependsOn shows it, and its errors. */
  validate: tenantProcedure
    .input(
      z.object({
        namespace,
        flowId,
        inputs: z.record(z.string(), z.unknown()).optional(),
        revision: z.number().int().min(1).optional(),
      }),
    )
    .query(({ ctx, input }) =>
      validateExecutionInputs(ctx.scope, input.namespace, input.flowId, {
        ...(input.inputs ? { inputs: input.inputs } : {}),
        ...(input.revision !== undefined ? { revision: input.revision } : {}),
      }),
    ),
});
