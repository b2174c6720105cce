import { fetchLogsPlugin } from "./fetch";
import { logPlugin } from "./log";
import { purgeLogsPlugin } from "./purge-logs";

export const logPlugins = [logPlugin, fetchLogsPlugin, purgeLogsPlugin];
