export { type Clock, RealClock, VirtualClock } from "./clock";
export { MemoryEngine, type MemoryEngineOptions } from "./memory-engine";
