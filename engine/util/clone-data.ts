/**
 * A deep copy of JSON-like data (an execution document): plain objects and arrays are copied here, anything
 * else (a Date or a Map a plugin's output may hold in memory) by structuredClone. Hand-written because
 * structuredClone serializes and deserializes the whole value, which made copying the execution the
 * largest cost of a step once it held a thousand task runs: 5.6 ms for a document of 1,000 task runs,
 * against 1.1 ms here (JSON's round trip: 4.9 ms, and it drops undefined values, which this keeps).
 */
export function cloneData<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const copy = new Array(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = cloneData(value[i]);
    return copy as T;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = cloneData((value as Record<string, unknown>)[key]);
  return copy as T;
}
