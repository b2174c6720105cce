import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { temporalAvailable, temporalCli } from "@/test/temporal";
import { exitReason, startDevTemporal } from "./temporal-dev";

const dirs: string[] = [];
function tempDir() {
  const dir = mkdtempSync(path.join(tmpdir(), "cadenza-devtemporal-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A stand-in CLI that counts its starts and dies as the dev server does when a port was taken. */
function failingCli(dir: string, thenExec?: string) {
  const cli = path.join(dir, "fake-temporal");
  const count = path.join(dir, "starts");
  writeFileSync(
    cli,
    `#!/bin/sh
echo x >> "${count}"
if [ -n "${thenExec ?? ""}" ] && [ "$(wc -l < "${count}")" -gt 1 ]; then exec "${thenExec ?? ""}" "$@"; fi
echo 'panic: listen tcp 127.0.0.1:7235: bind: address already in use' >&2
echo '	/go/pkg/mod/go.temporal.io/server@v1.32.0/service/history/service.go:94 +0x299' >&2
exit 2
`,
  );
  chmodSync(cli, 0o755);
  return { cli, starts: () => readFileSync(count, "utf8").trim().split("\n").length };
}

describe("startDevTemporal", () => {
  it("names the panic, not the last stack frame, when the server dies", () => {
    expect(
      exitReason("some log\npanic: listen tcp :1: bind: address already in use\n\tservice.go:94 +0x299\n"),
    ).toBe("panic: listen tcp :1: bind: address already in use");
    expect(exitReason("")).toBe("no output");
  });

  it("starts again on fresh ports when the server exits before answering, then gives up with its reason", async () => {
    const dir = tempDir();
    const { cli, starts } = failingCli(dir);
    const progress: string[] = [];
    await expect(
      startDevTemporal({ dataDir: dir, cli, onProgress: (message) => progress.push(message) }),
    ).rejects.toThrow(/exited \(code 2\) before it answered: panic: listen tcp .* address already in use/);
    expect(starts()).toBe(3);
    expect(progress.filter((line) => line.includes("trying again"))).toHaveLength(2);
  });

  it.skipIf(!temporalAvailable || Boolean(process.env.TEMPORAL_ADDRESS))(
    "a start that lost the race is followed by one that serves",
    async () => {
      const dir = tempDir();
      const { cli, starts } = failingCli(dir, temporalCli);
      const server = await startDevTemporal({ dataDir: dir, cli });
      try {
        expect(starts()).toBe(2);
        expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
      } finally {
        await server.stop();
      }
    },
    90_000,
  );
});
