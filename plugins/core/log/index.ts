import { logPlugin } from "./log";

export const logPlugins = [logPlugin];
