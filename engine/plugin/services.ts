import type { Plugin, ServiceName, TaskServices } from "./types";

/**
 * Why a runnable plugin cannot run with these services (the ones its definition requires that the driver
 * does not provide), or undefined. Checked before `run`, which then sees them typed as present.
 */
export function missingServices(plugin: Plugin, services: TaskServices): string | undefined {
  if (plugin.kind !== "runnable" || !plugin.services) return undefined;
  const missing = plugin.services.filter((name: ServiceName) => services[name] === undefined);
  if (missing.length === 0) return undefined;
  return `${plugin.type} needs the ${missing.join(", ")} service${missing.length > 1 ? "s" : ""}, which this engine does not provide`;
}
