import { chmodSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtInRegistry } from "@/plugins";
import { namespaceFileUri } from "@/plugins/core/namespace/files";
import { tempDirs } from "@/test/temp-dirs";
import { MemoryEngine, VirtualClock } from "@/worker/memory";
import { LocalProcessRunner } from "@/worker/runners";
import { cacheUri } from "@/worker/working-directory-cache";
import { flowOf, newEngine, outputsOf, run, taskRun, text } from "./helpers";

const tempDir = tempDirs("cadenza-wd");

const vars = (execution: Parameters<typeof outputsOf>[0], taskId: string) =>
  outputsOf(execution, taskId).vars as Record<string, unknown>;

describe("core.flow.WorkingDirectory", () => {
  it("gives its tasks one directory: what one writes, the next reads", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: shared
namespace: company.team
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    inputFiles:
      seed.txt: "seed from {{ flow.id }}"
    tasks:
      - id: write
        type: io.kestra.plugin.scripts.shell.Commands
        commands:
          - echo "hello" > greeting.txt
          - echo "::{\\"outputs\\":{\\"dir\\":\\"$(pwd)\\"}}::"
      - id: read
        type: io.kestra.plugin.scripts.python.Script
        script: |
          import os
          from kestra import Kestra
          Kestra.outputs({"greeting": open("greeting.txt").read().strip(), "seed": open("seed.txt").read(), "dir": os.getcwd()})
      - id: keep
        type: io.kestra.plugin.scripts.shell.Commands
        outputFiles: ["greeting.txt"]
        commands:
          - echo "{{ workingDir }}"
  - id: outside
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - test ! -e greeting.txt
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    expect(vars(execution, "read")).toMatchObject({ greeting: "hello", seed: "seed from shared" });
    expect(vars(execution, "read").dir).toBe(vars(execution, "write").dir);
    const files = outputsOf(execution, "keep").outputFiles as Record<string, string>;
    expect(await text(engine, files["greeting.txt"])).toBe("hello\n");
  });

  it("keeps the directories of two WorkingDirectory runs apart (one per ForEach value)", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: per_value
namespace: company.team
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    concurrencyLimit: 0
    tasks:
      - id: wdir
        type: io.kestra.plugin.core.flow.WorkingDirectory
        tasks:
          - id: write
            type: io.kestra.plugin.scripts.shell.Commands
            commands:
              - echo "{{ parent.taskrun.value }}" >> values.txt
          - id: read
            type: io.kestra.plugin.scripts.shell.Commands
            commands:
              - echo "::{\\"outputs\\":{\\"values\\":\\"$(cat values.txt | tr '\\n' ' ')\\"}}::"
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    const reads = execution.taskRunList.filter((r) => r.taskId === "read");
    expect(
      reads.map((r) => String((r.outputs?.vars as { values?: string } | undefined)?.values).trim()).sort(),
    ).toEqual(["a", "b"]);
  });

  it("lets a retried task see the directory as the earlier attempt left it", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: retry_in_dir
namespace: company.team
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: flaky
        type: io.kestra.plugin.scripts.shell.Commands
        retry: { type: constant, interval: PT1S, maxAttempts: 3 }
        commands:
          - echo x >> tries
          - test "$(wc -l < tries)" -ge 2
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    expect(taskRun(execution, "flaky").attempts.map((a) => a.state.current)).toEqual(["FAILED", "SUCCESS"]);
  });

  it("restarts a failed WorkingDirectory whole: its directory was removed with the execution's end", async () => {
    // Not sandboxed: the marker file in the machine's /tmp is what tells the first run from the restart.
    const { engine } = newEngine({ processRunner: new LocalProcessRunner({ isolation: false }) });
    const markerDir = tempDir();
    chmodSync(markerDir, 0o777); // the scripts run as an unprivileged user, who creates the marker
    const marker = join(markerDir, "marker");
    const failed = await run(
      engine,
      `id: restart_in_dir
namespace: company.team
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    outputFiles: ["data.txt"]
    tasks:
      - id: write
        type: io.kestra.plugin.scripts.shell.Commands
        commands: ["if [ -e ${marker} ]; then echo second > data.txt; else echo first > data.txt; fi"]
      - id: use
        type: io.kestra.plugin.scripts.shell.Commands
        commands:
          - cat data.txt
          - if [ ! -e ${marker} ]; then touch ${marker}; exit 1; fi
`,
    );
    expect(failed.state.current).toBe("FAILED");
    const kept = outputsOf(failed, "wdir").outputFiles as Record<string, string>;
    expect(await text(engine, kept["data.txt"])).toBe("first\n");
    await engine.restart(failed.id);
    const restarted = await engine.wait(failed.id);
    expect(restarted.state.current).toBe("SUCCESS");
    // Its files are kept again at the end of the restarted attempt.
    const files = outputsOf(restarted, "wdir").outputFiles as Record<string, string>;
    expect(await text(engine, files["data.txt"])).toBe("second\n");
    // The block started over in a fresh directory: its old runs are gone, `write` ran again.
    expect(restarted.taskRunList.filter((r) => r.taskId === "write")).toHaveLength(1);
    expect(taskRun(restarted, "write").attempts).toHaveLength(1);
    expect(restarted.metadata.attemptNumber).toBe(2);
  });

  it("removes the shared directory when the execution ends", async () => {
    const workDir = join(tempDir(), "work");
    const engine = new MemoryEngine({
      registry: builtInRegistry(),
      clock: new VirtualClock(),
      processRunner: new LocalProcessRunner({ workDir, user: false }),
    });
    const execution = await run(
      engine,
      `id: cleaned
namespace: company.team
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: write
        type: io.kestra.plugin.scripts.shell.Commands
        commands: ["echo data > big.bin"]
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    await engine.idle();
    expect(await readdir(join(workDir, "shared"))).toEqual([]);
  });

  it("sends its outputFiles to the internal storage once its tasks are done: outputs.<id>.outputFiles", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: wdir_outputs
namespace: company.team
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    outputFiles: ["*.csv", "{{ 'sub' }}/*.txt"]
    tasks:
      - id: write
        type: io.kestra.plugin.scripts.shell.Commands
        commands: ["echo a > a.csv", "echo b > b.log", "mkdir sub && echo c > sub/c.txt"]
  - id: read
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(outputs.wdir.outputFiles['a.csv']) }}"
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    const files = outputsOf(execution, "wdir").outputFiles as Record<string, string>;
    expect(Object.keys(files).sort()).toEqual(["a.csv", "sub/c.txt"]);
    expect(files["a.csv"]).toMatch(
      /^kestra:\/\/\/company\/team\/wdir_outputs\/executions\/.+\/tasks\/wdir\//,
    );
    expect(await text(engine, files["sub/c.txt"])).toBe("c\n");
    expect(outputsOf(execution, "read").value).toBe("a\n");
  });

  it("keeps its outputFiles when a task fails, before its errors run (Kestra's postExecuteTasks)", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: wdir_outputs_failed
namespace: company.team
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    outputFiles: ["out.txt"]
    tasks:
      - { id: write, type: io.kestra.plugin.scripts.shell.Commands, commands: ["echo kept > out.txt"] }
      - { id: fail, type: io.kestra.plugin.core.execution.Fail }
    errors:
      - id: handler
        type: io.kestra.plugin.core.debug.Return
        format: "{{ outputs.wdir.outputFiles['out.txt'] }}"
`,
    );
    expect(execution.state.current).toBe("FAILED");
    const files = outputsOf(execution, "wdir").outputFiles as Record<string, string>;
    expect(await text(engine, files["out.txt"])).toBe("kept\n");
    expect(outputsOf(execution, "handler").value).toBe(files["out.txt"]);
  });

  it("fails, then runs its errors, when its outputFiles cannot be kept", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: wdir_outputs_error
namespace: company.team
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    outputFiles: ["{{ nowhere }}"]
    tasks:
      - { id: write, type: io.kestra.plugin.scripts.shell.Commands, commands: ["echo a > a.txt"] }
    errors:
      - { id: handler, type: io.kestra.plugin.core.log.Log, message: handled }
`,
    );
    expect(execution.state.current).toBe("FAILED");
    expect(taskRun(execution, "wdir").state.current).toBe("FAILED");
    expect(taskRun(execution, "handler").state.current).toBe("SUCCESS");
    const errors = engine.logs.filter((l) => l.executionId === execution.id && l.level === "ERROR");
    expect(errors.map((l) => l.message).join("\n")).toMatch(
      /Unable to capture WorkingDirectory output files/,
    );
  });

  it("refuses its outputFiles as before in a run started before they were built (an old Temporal history)", async () => {
    const { engine } = newEngine({ workingDirectoryFiles: false });
    const execution = await run(
      engine,
      `id: unsupported
namespace: company.team
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    outputFiles: ["*.csv"]
    tasks:
      - { id: write, type: io.kestra.plugin.scripts.shell.Commands, commands: ["echo a > a.csv"] }
`,
    );
    expect(execution.state.current).toBe("FAILED");
    const errors = engine.logs.filter((l) => l.executionId === execution.id && l.level === "ERROR");
    expect(errors.map((l) => l.message)).toContainEqual(
      expect.stringContaining("put outputFiles on the task that writes the files"),
    );
    expect(execution.taskRunList.some((r) => r.taskId === "write")).toBe(false);
  });

  it("restores its cache in the next execution until the ttl passes (working-directory-cache)", async () => {
    const clock = new VirtualClock(Date.now());
    const { engine } = newEngine({ clock });
    const flow = `id: wdir_cache
namespace: company.team
tasks:
  - id: workingDir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    cache:
      ttl: PT5m
      patterns: ["*.txt"]
    tasks:
      - id: exists
        type: io.kestra.plugin.core.storage.LocalFiles
        outputs: [hello.txt]
      - id: inputFiles
        type: io.kestra.plugin.core.storage.LocalFiles
        inputs:
          hello.txt: HELLO WORLD
`;
    const cache = cacheUri("company.team", "wdir_cache", "workingDir");
    const first = await run(engine, flow);
    expect(first.state.current).toBe("SUCCESS");
    expect(outputsOf(first, "exists").uris).toEqual({});
    expect(await engine.storage.exists(cache)).toBe(true);
    const written = await engine.storage.modified?.(cache);

    const second = await run(engine, flow);
    const uris = outputsOf(second, "exists").uris as Record<string, string>;
    expect(Object.keys(uris)).toEqual(["hello.txt"]);
    expect(await text(engine, uris["hello.txt"])).toBe("HELLO WORLD");

    clock.tick(6 * 60_000);
    const third = await run(engine, flow);
    expect(outputsOf(third, "exists").uris).toEqual({});
    expect((await engine.storage.modified?.(cache))?.getTime()).toBeGreaterThanOrEqual(
      written?.getTime() ?? 0,
    );
  });

  it("keeps one cache per value of the run in a loop (Kestra's cache key holds the value)", async () => {
    const { engine } = newEngine({ clock: new VirtualClock(Date.now()) });
    const flow = `id: wdir_cache_each
namespace: company.team
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [a, b]
    tasks:
      - id: wdir
        type: io.kestra.plugin.core.flow.WorkingDirectory
        cache:
          patterns: [v.txt]
        tasks:
          - id: read
            type: io.kestra.plugin.scripts.shell.Commands
            commands:
              - if [ -f v.txt ]; then r=yes; else r=no; echo "{{ taskrun.value }}" > v.txt; fi
              - echo "::{\\"outputs\\":{\\"v\\":\\"$(cat v.txt)\\",\\"value\\":\\"{{ taskrun.value }}\\",\\"restored\\":\\"$r\\"}}::"
`;
    await run(engine, flow);
    const second = await run(engine, flow);
    const seen = second.taskRunList
      .filter((r) => r.taskId === "read")
      .map((r) => r.outputs?.vars as { v: string; value: string; restored: string });
    expect(seen.map((v) => v.v).sort()).toEqual(["a", "b"]);
    for (const v of seen) expect(v).toEqual({ v: v.value, value: v.value, restored: "yes" });
    expect(await engine.storage.exists(cacheUri("company.team", "wdir_cache_each", "wdir", "a"))).toBe(true);
  });

  it("writes its cache again only when a cached file changed, so the ttl runs from when it was built", async () => {
    const clock = new VirtualClock(Date.now());
    const { engine } = newEngine({ clock });
    const flow = `id: wdir_cache_same
namespace: company.team
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    cache:
      patterns: ["deps/**"]
    tasks:
      - id: build
        type: io.kestra.plugin.scripts.shell.Commands
        commands:
          - test -f deps/lib.txt && echo "::{\\"outputs\\":{\\"cached\\":true}}::" || (mkdir -p deps && echo lib > deps/lib.txt)
`;
    const cache = cacheUri("company.team", "wdir_cache_same", "wdir");
    await run(engine, flow);
    const built = await engine.storage.modified?.(cache);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await run(engine, flow);
    expect(vars(second, "build")).toEqual({ cached: true });
    expect((await engine.storage.modified?.(cache))?.getTime()).toBe(built?.getTime());
  });

  it("copies its namespaceFiles into the shared directory before its first task, inputFiles over them", async () => {
    const { engine } = newEngine();
    await engine.storage.put(namespaceFileUri("company.team", "sql/a.sql"), "select 1\n");
    await engine.storage.put(namespaceFileUri("company.team", "notes.txt"), "from the namespace\n");
    await engine.storage.put(namespaceFileUri("company.team", "skip.md"), "left out\n");
    const execution = await run(
      engine,
      `id: ns_files_wdir
namespace: company.team
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    namespaceFiles:
      enabled: "{{ true }}"
      include: ["sql/**", "*.txt"]
    inputFiles:
      notes.txt: "from inputFiles"
    tasks:
      - id: read
        type: io.kestra.plugin.scripts.shell.Commands
        commands:
          - echo "::{\\"outputs\\":{\\"sql\\":\\"$(cat sql/a.sql)\\",\\"notes\\":\\"$(cat notes.txt)\\",\\"md\\":\\"$(ls *.md 2>/dev/null | wc -l)\\"}}::"
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    expect(vars(execution, "read")).toEqual({ sql: "select 1", notes: "from inputFiles", md: "0" });
  });

  it("reads namespaceFiles of another namespace only where the namespace boundaries allow it", async () => {
    // The memory engine's boundaries: a namespace reaches itself and its children only.
    const { engine } = newEngine();
    await engine.storage.put(namespaceFileUri("other.team", "secret.txt"), "not yours\n");
    const execution = await engine.start(
      flowOf(`id: ns_files_other
namespace: company.team
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    namespaceFiles:
      namespaces: [other.team]
    tasks:
      - { id: read, type: io.kestra.plugin.scripts.shell.Commands, commands: ["cat secret.txt"] }
`),
      {},
    );
    const ended = await engine.wait(execution.id);
    expect(ended.state.current).toBe("FAILED");
    const errors = engine.logs.filter((l) => l.executionId === ended.id && l.level === "ERROR");
    expect(errors.map((l) => l.message).join("\n")).toMatch(/other\.team/);
    expect(errors.map((l) => l.message).join("\n")).not.toContain("not yours");
    engine.takeFailures();
  });

  it("gives LocalFiles the shared directory too (Kestra's deprecated way to pass files)", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: local_files
namespace: company.team
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: inputs
        type: io.kestra.core.tasks.storages.LocalFiles
        inputs:
          data.csv: "a,b"
      - id: transform
        type: io.kestra.plugin.scripts.shell.Commands
        commands: ["tr a-z A-Z < data.csv > out.csv"]
      - id: outputs
        type: io.kestra.core.tasks.storages.LocalFiles
        outputs: ["out.csv"]
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    const uris = outputsOf(execution, "outputs").uris as Record<string, string>;
    expect(await text(engine, uris["out.csv"])).toBe("A,B");
  });
});
