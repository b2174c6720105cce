// PLACEHOLDER for the embedded engine (executor + worker + scheduler on PostgreSQL), which a later
// issue builds. Today this loop executes nothing: it only announces itself and heartbeats, so that
// /api/health can say truthfully whether an engine process is alive and that it is a placeholder.
import os from "node:os";

/** Where engine processes announce themselves. PostgreSQL-backed in server/, in memory in tests. */
export interface InstanceRegistry {
  register(instance: EngineInstanceInfo): Promise<string>;
  heartbeat(id: string): Promise<void>;
  unregister(id: string): Promise<void>;
}

export interface EngineInstanceInfo {
  role: "engine";
  /** "placeholder": this loop, which executes no flows. */
  mode: "placeholder";
  hostname: string;
  pid: number;
  version: string;
}

export interface RunningEngine {
  instanceId: string;
  mode: "placeholder";
  stop: () => Promise<void>;
}

/** How often a live engine heartbeats; readers treat an instance as gone after three missed beats. */
export const heartbeatIntervalMs = 5_000;

export async function startEngine(options: {
  registry: InstanceRegistry;
  version: string;
  intervalMs?: number;
  onError?: (error: unknown) => void;
}): Promise<RunningEngine> {
  const { registry } = options;
  const instanceId = await registry.register({
    role: "engine",
    mode: "placeholder",
    hostname: os.hostname(),
    pid: process.pid,
    version: options.version,
  });
  const timer = setInterval(() => {
    registry.heartbeat(instanceId).catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs ?? heartbeatIntervalMs);
  timer.unref();
  let stopped: Promise<void> | undefined;
  return {
    instanceId,
    mode: "placeholder",
    stop: () => {
      stopped ??= (async () => {
        clearInterval(timer);
        await registry.unregister(instanceId).catch((error: unknown) => options.onError?.(error));
      })();
      return stopped;
    },
  };
}
