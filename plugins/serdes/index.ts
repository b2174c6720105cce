import { csvToIonPlugin, ionToCsvPlugin } from "./csv";
import { ionToJsonPlugin, jsonToIonPlugin } from "./json";

/** Kestra's plugin-serdes: streaming conversions between file formats and ION, the row format of flows. */
export const serdesPlugins = [csvToIonPlugin, ionToCsvPlugin, jsonToIonPlugin, ionToJsonPlugin];
