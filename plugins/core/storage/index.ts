import { concatPlugin } from "./concat";
import { deduplicateItemsPlugin } from "./deduplicate-items";
import { storageDeletePlugin } from "./delete";
import { filterItemsPlugin } from "./filter-items";
import { localFilesPlugin } from "./local-files";
import { purgeCurrentExecutionFilesPlugin } from "./purge-current-execution-files";
import { purgeStoragePlugin } from "./purge-storage";
import { reversePlugin } from "./reverse";
import { sizePlugin } from "./size";
import { splitPlugin } from "./split";
import { writePlugin } from "./write";

export { parseIonValue } from "@/engine/expr";
export { type SplitRule, splitRows } from "./split-lines";
export const storagePlugins = [
  concatPlugin,
  deduplicateItemsPlugin,
  storageDeletePlugin,
  filterItemsPlugin,
  reversePlugin,
  sizePlugin,
  splitPlugin,
  purgeCurrentExecutionFilesPlugin,
  purgeStoragePlugin,
  localFilesPlugin,
  writePlugin,
];
