import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { flowPath } from "@/test/conformance/corpus";
import { tempDirs } from "@/test/temp-dirs";
import { LocalProcessRunner } from "../../runners";
import { cacheUri } from "../../working-directory-cache";
import { setUpEmbeddedEngine, TENANT } from "./harness";

const workDir = tempDirs("cadenza-embedded-wd")();
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

  it("working-directory-outputs: its outputFiles are kept once its tasks are done (WorkingDirectoryTest.outputFiles)", async () => {
    await h.deploy(readFileSync(flowPath("working-directory-outputs.yml"), "utf8"));
    const started = await h.client.start(TENANT, "io.kestra.tests", "working-directory-outputs", {});
    const done = await h.client.waitForEnd(TENANT, started.id, 20_000);
    expect(done.state.current).toBe("SUCCESS");
    expect(done.taskRunList).toHaveLength(2);
    const files = done.taskRunList[0]?.outputs?.outputFiles as Record<string, string>;
    expect(Object.keys(files)).toEqual(["output.txt"]);
    const content = await h.ctx.services(TENANT).storage?.get(files["output.txt"] as string);
    expect(new TextDecoder().decode(content)).toBe("Hello World");
  });

  it("working-directory-cache: the second execution finds the file the first cached (WorkingDirectoryTest.cache)", async () => {
    await h.deploy(readFileSync(flowPath("working-directory-cache.yml"), "utf8"));
    const storage = h.ctx.services(TENANT).storage;
    const cache = cacheUri("io.kestra.tests", "working-directory-cache", "workingDir");
    expect(await storage?.exists(cache)).toBe(false);
    const uris = async () => {
      const started = await h.client.start(TENANT, "io.kestra.tests", "working-directory-cache", {});
      const done = await h.client.waitForEnd(TENANT, started.id, 20_000);
      expect(done.state.current).toBe("SUCCESS");
      expect(done.taskRunList).toHaveLength(3);
      return done.taskRunList.find((r) => r.taskId === "exists")?.outputs?.uris;
    };
    expect(await uris()).toEqual({});
    expect(await storage?.exists(cache)).toBe(true);
    expect(Object.keys((await uris()) as object)).toEqual(["hello.txt"]);
  });
});
