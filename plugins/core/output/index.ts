import { outputValuesPlugin } from "./output-values";

export const outputPlugins = [outputValuesPlugin];
