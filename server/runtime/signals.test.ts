import { describe, expect, it } from "vitest";
import { listenForShutdown } from "./signals";

describe("listenForShutdown", () => {
  it.each(["SIGINT", "SIGTERM", "SIGHUP"] as const)("asks for an orderly stop on %s", async (signal) => {
    const shutdown = listenForShutdown();
    try {
      expect(shutdown.signal.aborted).toBe(false);
      process.emit(signal, signal);
      expect(await shutdown.received).toBe(signal);
      expect(shutdown.signal.aborted).toBe(true);
    } finally {
      shutdown.dispose();
    }
  });

  it("removes its handlers when disposed", () => {
    const before = process.listenerCount("SIGINT");
    const shutdown = listenForShutdown();
    expect(process.listenerCount("SIGINT")).toBe(before + 1);
    shutdown.dispose();
    expect(process.listenerCount("SIGINT")).toBe(before);
  });
});
