import { deleteFilesPlugin } from "./delete-files";
import { downloadFilesPlugin } from "./download-files";
import { uploadFilesPlugin } from "./upload-files";

export const namespacePlugins = [uploadFilesPlugin, downloadFilesPlugin, deleteFilesPlugin];
