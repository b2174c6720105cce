// The flow workbench's procedures beside the flows router: namespace files, flows in bulk, and the launch
// form's input validation, made from the operation table (the REST API serves the same operations under
// Kestra's paths, and those only it serves: downloads, uploads, exports, the multipart import).
import { executionInputOperations } from "../../operations/execution-inputs";
import { flowBulkOperations } from "../../operations/flows-bulk";
import { namespaceFileOperations } from "../../operations/namespace-files";
import { routerOf } from "../from-operations";

export const namespaceFilesRouter = routerOf(namespaceFileOperations, ["download", "upload"]);

export const flowsBulkRouter = routerOf(flowBulkOperations, ["exportByIds", "exportByQuery", "import"]);

export const executionInputsRouter = routerOf(executionInputOperations);
