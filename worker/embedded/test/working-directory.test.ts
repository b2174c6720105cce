import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LocalProcessRunner } from "../../runners";
import { setUpEmbeddedEngine, TENANT } from "./harness";

const workDir = join(tmpdir(), `cadenza-embedded-wd-${process.pid}`);
const h = setUpEmbeddedEngine({ processRunner: new LocalProcessRunner({ workDir, user: false }) });

describe("embedded engine: WorkingDirectory", () => {
  it("shares one directory between tasks run as separate queue jobs, and removes it at the end", async () => {
    await h.startRuntime();
    await h.deploy(`id: shared
namespace: company.team
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: write
        type: io.kestra.plugin.scripts.shell.Commands
        commands: ["echo hello > greeting.txt"]
      - id: read
        type: io.kestra.plugin.scripts.shell.Commands
        commands: ['echo "::{\\"outputs\\":{\\"greeting\\":\\"$(cat greeting.txt)\\"}}::"']
`);
    const started = await h.client.start(TENANT, "company.team", "shared", {});
    const done = await h.client.waitForEnd(TENANT, started.id, 20_000);
    expect(done.state.current).toBe("SUCCESS");
    const read = done.taskRunList.find((r) => r.taskId === "read");
    expect((read?.outputs?.vars as { greeting?: string } | undefined)?.greeting).toBe("hello");
    // The end of the execution is handled by a queue job just after its state is saved.
    await expect.poll(() => readdir(join(workDir, "shared")), { timeout: 5_000 }).toEqual([]);
  });
});
