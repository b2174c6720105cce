// Temporal's workflow sandbox is a bare V8 context: Node's structuredClone is absent. The executor clones
// execution documents with it, and those are JSON data (they round-trip through PostgreSQL's jsonb), so a
// JSON copy is the same clone there.
const sandbox = globalThis as { structuredClone?: <T>(value: T) => T };
sandbox.structuredClone ??= <T>(value: T): T =>
  value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
