import { afterEach, describe, expect, it, vi } from "vitest";
import { type EngineInstanceInfo, type InstanceRegistry, startEngine } from "./engine";

function memoryRegistry() {
  const instances = new Map<string, EngineInstanceInfo & { beats: number }>();
  const registry: InstanceRegistry = {
    register: async (info) => {
      const id = `i${instances.size + 1}`;
      instances.set(id, { ...info, beats: 0 });
      return id;
    },
    heartbeat: async (id) => {
      const instance = instances.get(id);
      if (!instance) throw new Error(`unknown instance ${id}`);
      instance.beats++;
    },
    unregister: async (id) => {
      instances.delete(id);
    },
  };
  return { registry, instances };
}

describe("startEngine (placeholder)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("announces itself as a placeholder, heartbeats, and leaves on stop", async () => {
    vi.useFakeTimers();
    const { registry, instances } = memoryRegistry();
    const engine = await startEngine({ registry, version: "1.2.3", intervalMs: 1000 });
    expect(engine.mode).toBe("placeholder");
    expect(instances.get(engine.instanceId)).toMatchObject({
      role: "engine",
      mode: "placeholder",
      pid: process.pid,
      version: "1.2.3",
      beats: 0,
    });
    await vi.advanceTimersByTimeAsync(3500);
    expect(instances.get(engine.instanceId)?.beats).toBe(3);
    await engine.stop();
    await engine.stop();
    expect(instances.size).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(instances.size).toBe(0);
  });

  it("reports heartbeat failures instead of crashing", async () => {
    vi.useFakeTimers();
    const { registry } = memoryRegistry();
    const errors: unknown[] = [];
    const engine = await startEngine({
      registry: { ...registry, heartbeat: () => Promise.reject(new Error("database gone")) },
      version: "1",
      intervalMs: 100,
      onError: (error) => errors.push(error),
    });
    await vi.advanceTimersByTimeAsync(250);
    expect(errors.map((e) => (e as Error).message)).toEqual(["database gone", "database gone"]);
    await engine.stop();
  });
});
