import { echoPlugin } from "./echo";
import { returnPlugin } from "./return";

export const debugPlugins = [returnPlugin, echoPlugin];
