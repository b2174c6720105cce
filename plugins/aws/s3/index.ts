import { copyPlugin } from "./copy";
import { deleteListPlugin, deletePlugin } from "./delete";
import { downloadPlugin } from "./download";
import { downloadsPlugin } from "./downloads";
import { listPlugin } from "./list";
import { triggerPlugin } from "./trigger";
import { uploadPlugin } from "./upload";

export const s3Plugins = [
  uploadPlugin,
  downloadPlugin,
  downloadsPlugin,
  listPlugin,
  deletePlugin,
  deleteListPlugin,
  copyPlugin,
  triggerPlugin,
];
