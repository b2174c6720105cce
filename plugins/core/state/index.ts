import { stateDeletePlugin } from "./delete";
import { stateGetPlugin } from "./get";
import { stateSetPlugin } from "./set";

export const statePlugins = [stateSetPlugin, stateGetPlugin, stateDeletePlugin];
