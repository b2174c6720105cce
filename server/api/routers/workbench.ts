// The flow workbench's procedures beside the flows router: namespace files, flows in bulk, and the launch
// form's input validation (the REST API serves the same services under Kestra's paths).
import { z } from "zod";
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
import {
  createNamespaceDirectory,
  deleteNamespaceFile,
  listNamespaceDirectory,
  MAX_EDITABLE_BYTES,
  moveNamespaceFile,
  namespaceFileStats,
  readNamespaceFile,
  writeNamespaceFile,
} from "../../services/namespace-files";
import { flowId, label, namespace } from "../../services/schemas";
import { createTRPCRouter, tenantProcedure } from "../trpc";

const filePath = z.string().max(1024);
const inNamespace = z.object({ namespace });
const flowRefs = z.array(z.object({ namespace, id: flowId })).max(5000);
const flowQuery = z.object({
  q: z.string().max(200).optional(),
  namespace: namespace.optional(),
  labels: z.array(label).optional(),
});

export const namespaceFilesRouter = createTRPCRouter({
  list: tenantProcedure
    .input(inNamespace.extend({ path: filePath.optional() }))
    .query(({ ctx, input }) => listNamespaceDirectory(ctx.scope, input.namespace, input.path)),
  stats: tenantProcedure
    .input(inNamespace.extend({ path: filePath.optional() }))
    .query(({ ctx, input }) => namespaceFileStats(ctx.scope, input.namespace, input.path)),
  /** The file as text for the editor; `binary` (and no content) when it is not UTF-8 or too big. */
  read: tenantProcedure.input(inNamespace.extend({ path: filePath })).query(async ({ ctx, input }) => {
    const file = await readNamespaceFile(ctx.scope, input.namespace, input.path);
    if (file.content.byteLength > MAX_EDITABLE_BYTES)
      return { path: file.path, size: file.content.byteLength, binary: true, content: null };
    try {
      const content = new TextDecoder("utf-8", { fatal: true }).decode(file.content);
      if (content.includes("\u0000")) throw new Error("binary");
      return { path: file.path, size: file.content.byteLength, binary: false, content };
    } catch {
      return { path: file.path, size: file.content.byteLength, binary: true, content: null };
    }
  }),
  write: tenantProcedure
    .input(inNamespace.extend({ path: filePath, content: z.string().max(MAX_EDITABLE_BYTES) }))
    .mutation(({ ctx, input }) => writeNamespaceFile(ctx.scope, input.namespace, input.path, input.content)),
  mkdir: tenantProcedure
    .input(inNamespace.extend({ path: filePath }))
    .mutation(({ ctx, input }) => createNamespaceDirectory(ctx.scope, input.namespace, input.path)),
  move: tenantProcedure
    .input(inNamespace.extend({ from: filePath, to: filePath }))
    .mutation(({ ctx, input }) => moveNamespaceFile(ctx.scope, input.namespace, input.from, input.to)),
  delete: tenantProcedure
    .input(inNamespace.extend({ path: filePath }))
    .mutation(({ ctx, input }) => deleteNamespaceFile(ctx.scope, input.namespace, input.path)),
});

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
