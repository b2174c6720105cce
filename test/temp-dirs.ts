// Temporary folders for one test file, all under one root that is removed when the file's tests end, so
// a test run leaves nothing behind in the system's temporary directory (runs had left hundreds).
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/** Call at a file's top level; the function it returns makes a fresh folder on each call. */
export function tempDirs(prefix: string): () => string {
  let root: string | undefined;
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });
  return () => {
    if (!root) {
      root = mkdtempSync(join(tmpdir(), `${prefix}-`));
      // Tests run processes as other users (PostgreSQL as `postgres`, scripts as `nobody`) that must
      // traverse into their own folders; each folder inside keeps mkdtemp's 0700 unless a test opens it.
      chmodSync(root, 0o755);
    }
    return mkdtempSync(join(root, "t-"));
  };
}
