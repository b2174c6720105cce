import { kvDeletePlugin } from "./delete";
import { kvGetPlugin } from "./get";
import { kvGetKeysPlugin } from "./get-keys";
import { kvSetPlugin } from "./set";

export { KV_TYPES, type KvType, toKvType } from "./kv-type";
export const kvPlugins = [kvSetPlugin, kvGetPlugin, kvGetKeysPlugin, kvDeletePlugin];
