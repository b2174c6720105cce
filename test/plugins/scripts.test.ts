import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { builtInRegistry } from "@/plugins";
import { MemoryEngine } from "@/worker/memory";
import { LocalProcessRunner } from "@/worker/runners";
import { errorOf, flowOf, newEngine, outputsOf, run, taskRun, text } from "./helpers";

const IS_ROOT = process.getuid?.() === 0;

const logsOf = (engine: MemoryEngine, taskId: string) =>
  engine.logs.filter((l) => l.taskId === taskId).map((l) => `${l.level} ${l.message}`);

/** Host pids whose command line contains `marker` (scripts' own pids are their sandbox's, not the host's). */
function pidsRunning(marker: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").includes(marker) && alive(Number(name)))
        out.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** True while a process exists and is not a zombie (PID 1 of a container may never reap them). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

describe("scripts.shell.Commands", () => {
  it("runs commands, streams stdout as INFO and stderr as WARN, and returns outputs, metrics and files", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: shell
namespace: company.team
tasks:
  - id: sh
    type: io.kestra.plugin.scripts.shell.Commands
    outputFiles:
      - "*.txt"
      - "reports/**.csv"
    env:
      GREETING: "hello {{ flow.id }}"
    commands:
      - echo "$GREETING"
      - echo "oops" >&2
      - echo data > out.txt
      - mkdir -p reports/2024 && echo "a,b" > reports/2024/r.csv
      - echo "in {{ workingDir }}" > where.txt
      - echo ignored > skip.log
      - echo '::{"outputs":{"answer":42,"nested":{"ok":true}},"metrics":[{"name":"rows","type":"counter","value":3,"tags":{"t":"x"}}]}::'
      - echo '::{"logs":[{"level":"ERROR","message":"sent as a log"}]}::'
      - echo "written to $OUTPUT_DIR" && echo kept > "{{ outputDir }}/from-output-dir.txt"
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    const outputs = outputsOf(execution, "sh");
    expect(outputs.exitCode).toBe(0);
    expect(outputs.vars).toEqual({ answer: 42, nested: { ok: true } });
    expect(outputs.stdErrLineCount).toBe(1);
    const files = outputs.outputFiles as Record<string, string>;
    expect(Object.keys(files).sort()).toEqual([
      "from-output-dir.txt",
      "out.txt",
      "reports/2024/r.csv",
      "where.txt",
    ]);
    expect(await text(engine, files["out.txt"])).toBe("data\n");
    expect(await text(engine, files["reports/2024/r.csv"])).toBe("a,b\n");
    expect(await text(engine, files["from-output-dir.txt"])).toBe("kept\n");
    expect(await text(engine, files["where.txt"])).toMatch(/^in \/.+\/work\n$/);
    expect(files["out.txt"]).toBe(
      `kestra:///company/team/shell/executions/${execution.id}/tasks/sh/${taskRun(execution, "sh").id}/out.txt`,
    );
    const logs = logsOf(engine, "sh");
    expect(logs).toContain("INFO hello shell");
    expect(logs).toContain("WARN oops");
    expect(logs).toContain("ERROR sent as a log");
    expect(logs.some((l) => l.includes("::{"))).toBe(false);
    expect(taskRun(execution, "sh").attempts[0]?.metrics).toEqual([
      { name: "rows", type: "counter", value: 3, tags: { t: "x" } },
    ]);
  });

  it("writes inputFiles (inline and kestra://) and namespace files before running", async () => {
    const { engine } = newEngine();
    await engine.storage.put("kestra:///company/team/_files/scripts/hello.sh", "echo from-namespace");
    await engine.storage.put("kestra:///company/team/_files/scripts/skip.txt", "no");
    await engine.storage.put("kestra:///company/team/_files/other.sh", "echo not included");
    const execution = await run(
      engine,
      `id: files
namespace: company.team
inputs:
  - id: data
    type: STRING
    defaults: "1\\n2\\n3"
tasks:
  - id: upload
    type: io.kestra.plugin.scripts.shell.Commands
    outputFiles: [data.txt]
    commands:
      - printf '{{ inputs.data }}\\n' > data.txt
  - id: use
    type: io.kestra.plugin.scripts.shell.Commands
    namespaceFiles:
      enabled: true
      include: ["scripts/**"]
      exclude: ["**.txt"]
    inputFiles:
      data.csv: "{{ outputs.upload.outputFiles['data.txt'] }}"
      nested/conf.json: '{"flow": "{{ flow.id }}"}'
    commands:
      - sh scripts/hello.sh
      - wc -l < data.csv
      - cat nested/conf.json && echo
      - ls scripts
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    expect(logsOf(engine, "use")).toEqual([
      "INFO from-namespace",
      "INFO 3",
      'INFO {"flow": "files"}',
      "INFO hello.sh",
    ]);
  });

  it("fails with the exit code and the last lines of stderr; failFast stops at the first failing command", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: failing
namespace: company.team
tasks:
  - id: fail
    type: io.kestra.plugin.scripts.shell.Commands
    allowFailure: true
    commands:
      - echo "first problem" >&2
      - echo "last problem" >&2
      - exit 3
  - id: fail_fast
    type: io.kestra.plugin.scripts.shell.Commands
    allowFailure: true
    commands:
      - "false"
      - echo "never printed"
  - id: no_fail_fast
    type: io.kestra.plugin.scripts.shell.Commands
    failFast: false
    commands:
      - "false"
      - echo "printed"
`,
    );
    expect(errorOf(execution, "fail")).toBe("Command failed with exit code 3: first problem\nlast problem");
    expect(errorOf(execution, "fail_fast")).toBe("Command failed with exit code 1");
    expect(logsOf(engine, "fail_fast")).not.toContain("INFO never printed");
    expect(taskRun(execution, "no_fail_fast").state.current).toBe("SUCCESS");
    expect(logsOf(engine, "no_fail_fast")).toContain("INFO printed");
  });

  it("ends in WARNING when warningOnStdErr is set and the script wrote to stderr", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: warning
namespace: company.team
tasks:
  - id: warn
    type: io.kestra.plugin.scripts.shell.Commands
    warningOnStdErr: true
    commands:
      - echo "careful" >&2
`,
    );
    expect(taskRun(execution, "warn").state.current).toBe("WARNING");
  });

  it("runs Kestra's old Bash task with outputsFiles and interpreterArgs", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: legacy
namespace: company.team
tasks:
  - id: bash
    type: io.kestra.core.tasks.scripts.Bash
    interpreter: /bin/bash
    interpreterArgs: ["-c"]
    outputsFiles: [first]
    commands:
      - echo "1" >> {{ outputFiles.first }}
      - echo "$BASH_VERSION" | cut -c1
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    const files = outputsOf(execution, "bash").outputFiles as Record<string, string>;
    expect(await text(engine, files.first)).toBe("1\n");
    expect(logsOf(engine, "bash")[0]).toMatch(/^INFO \d$/);
  });

  it("refuses Docker task runners with a clear message", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: docker
namespace: company.team
tasks:
  - id: docker
    type: io.kestra.plugin.scripts.shell.Commands
    containerImage: ubuntu
    taskRunner:
      type: io.kestra.plugin.scripts.runner.docker.Docker
    commands: [echo hi]
`,
    );
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "docker")).toContain("Docker task runners are not supported here");
  });
});

describe("scripts.shell.Script", () => {
  it("runs the script with the interpreter's shell, with {{ workingDir }}", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: shell_script
namespace: company.team
tasks:
  - id: script
    type: io.kestra.plugin.scripts.shell.Script
    interpreter: ["/bin/bash", "-c"]
    script: |
      set -u
      words=(a b c)
      echo "{% raw %}\${#words[@]}{% endraw %} words in {{ workingDir }}" | sed 's|/.*/work|WD|'
      echo "::{\\"outputs\\":{\\"shell\\":\\"$(basename $BASH)\\"}}::"
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    expect(logsOf(engine, "script")).toEqual(["INFO 3 words in WD"]);
    expect(outputsOf(execution, "script").vars).toEqual({ shell: "bash" });
  });
});

describe("scripts.python", () => {
  it("runs a Script with the kestra library: outputs, metrics and logs", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: python
namespace: company.team
tasks:
  - id: py
    type: io.kestra.plugin.scripts.python.Script
    script: |
      import sys
      from kestra import Kestra
      Kestra.outputs({"version": sys.version_info[0], "items": [1, 2]})
      Kestra.counter("processed", 7, {"kind": "test"})
      Kestra.timer("took", 1.5)
      Kestra.logger().warning("a warning from python")
      print("plain line")
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    expect(outputsOf(execution, "py").vars).toEqual({ version: 3, items: [1, 2] });
    expect(taskRun(execution, "py").attempts[0]?.metrics).toEqual([
      { name: "processed", type: "counter", value: 7, tags: { kind: "test" } },
      { name: "took", type: "timer", value: 1.5 },
    ]);
    // stdout and stderr are two pipes: their relative order is not kept.
    expect(logsOf(engine, "py").sort()).toEqual(["INFO plain line", "WARN a warning from python"]);
  });

  it("runs Commands with `python` (python3 on this worker) and an exception fails the task", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: python_commands
namespace: company.team
tasks:
  - id: ok
    type: io.kestra.plugin.scripts.python.Commands
    inputFiles:
      main.py: |
        import os
        from kestra import Kestra
        Kestra.outputs({"cwd_is_home": os.getcwd() == os.environ["HOME"]})
    commands:
      - python main.py
  - id: boom
    type: io.kestra.plugin.scripts.python.Commands
    inputFiles:
      main.py: raise ValueError("bad input")
    commands:
      - python main.py
`,
    );
    expect(outputsOf(execution, "ok").vars).toEqual({ cwd_is_home: true });
    expect(errorOf(execution, "boom")).toMatch(/^Command failed with exit code 1: .*ValueError: bad input$/s);
  });
});

describe("scripts.node", () => {
  it("runs a Script (CommonJS or ES module) with @kestra-io/libs", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: node
namespace: company.team
tasks:
  - id: cjs
    type: io.kestra.plugin.scripts.node.Script
    script: |
      const Kestra = require("@kestra-io/libs");
      Kestra.outputs({ sum: [1, 2, 3].reduce((a, b) => a + b, 0) });
      Kestra.counter("items", 3);
  - id: esm
    type: io.kestra.plugin.scripts.node.Script
    script: |
      import Kestra from "@kestra-io/libs";
      Kestra.outputs({ esm: true, previous: {{ outputs.cjs.vars.sum }} });
  - id: commands
    type: io.kestra.plugin.scripts.node.Commands
    inputFiles:
      main.js: console.log(process.argv.slice(2).join("+"))
    commands:
      - node main.js a b
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    expect(outputsOf(execution, "cjs").vars).toEqual({ sum: 6 });
    expect(outputsOf(execution, "esm").vars).toEqual({ esm: true, previous: 6 });
    expect(logsOf(engine, "commands")).toEqual(["INFO a+b"]);
  });
});

describe("script isolation", () => {
  it("gives scripts a clean environment: nothing of the server's own variables", async () => {
    process.env.CADENZA_TEST_MARKER = "server-secret-value";
    process.env.DATABASE_URL ??= "postgres://user:password@localhost/cadenza";
    try {
      const { engine } = newEngine();
      const execution = await run(
        engine,
        `id: env
namespace: company.team
tasks:
  - id: env
    type: io.kestra.plugin.scripts.shell.Commands
    env:
      MINE: "set by the task"
    commands:
      - echo "marker=\${CADENZA_TEST_MARKER:-unset} db=\${DATABASE_URL:-unset} mine=$MINE"
      - env | cut -d= -f1 | sort | tr '\\n' ' '
`,
      );
      expect(execution.state.current).toBe("SUCCESS");
      const logs = logsOf(engine, "env");
      expect(logs[0]).toBe("INFO marker=unset db=unset mine=set by the task");
      const names = (logs[1] ?? "")
        .replace(/^INFO /, "")
        .trim()
        .split(" ");
      expect(names).toEqual(
        expect.arrayContaining(["HOME", "LANG", "MINE", "NODE_PATH", "PATH", "PYTHONPATH", "TMPDIR"]),
      );
      expect(
        names.filter(
          (n) =>
            !/^(HOME|LANG|MINE|NODE_PATH|PATH|PWD|PYTHON\w+|SHLVL|TMPDIR|WORKING_DIR|OUTPUT_DIR|_)$/.test(n),
        ),
      ).toEqual([]);
      expect(JSON.stringify(engine.logs)).not.toContain("server-secret-value");
    } finally {
      delete process.env.CADENZA_TEST_MARKER;
    }
  });

  it.skipIf(!IS_ROOT)(
    "with isolation off, runs scripts as the unprivileged user nobody when the worker is root",
    async () => {
      const { engine } = newEngine({ processRunner: new LocalProcessRunner({ isolation: false }) });
      const execution = await run(
        engine,
        `id: whoami
namespace: company.team
tasks:
  - id: id
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - id -u
      - id -g
      - touch /root/owned 2>/dev/null && echo "wrote in /root" || echo "cannot write in /root"
      - stat -c %u .
`,
      );
      expect(execution.state.current).toBe("SUCCESS");
      expect(logsOf(engine, "id")).toEqual([
        "INFO 65534",
        "INFO 65534",
        "INFO cannot write in /root",
        "INFO 65534",
      ]);
    },
  );

  it("kills a script and its children at the task's timeout, within a second", async () => {
    const engine = new MemoryEngine({ registry: builtInRegistry() });
    // Unique sleep durations mark the processes on the host (inside, $$ and $! are the sandbox's pids).
    const tag = `${process.pid % 1000}${Date.now() % 100000}`;
    const markers = [`61.${tag}`, `62.${tag}`, `63.${tag}`];
    const flow = flowOf(`id: timeout
namespace: company.team
tasks:
  - id: sleepy
    type: io.kestra.plugin.scripts.shell.Commands
    timeout: PT1S
    commands:
      - sleep ${markers[0]} &
      - sh -c 'sleep ${markers[1]} & wait'  &
      - setsid sleep ${markers[2]} &
      - echo started
      - sleep 60
`);
    const started = Date.now();
    const done = engine.wait((await engine.start(flow)).id);
    let seen: number[] = [];
    while (seen.length < 3 && Date.now() - started < 900) {
      seen = markers.flatMap(pidsRunning);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen).toHaveLength(3);
    const execution = await done;
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "sleepy")).toBe("Task timed out after PT1S");
    while (seen.some(alive) && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 20));
    const gone = Date.now() - started;
    expect(seen.filter(alive)).toEqual([]);
    // The limit is 1 s: every process is gone within a second of it.
    expect(gone).toBeLessThan(2_000);
  });

  it("kills the script when the execution is killed", async () => {
    const engine = new MemoryEngine({ registry: builtInRegistry() });
    const marker = `64.${process.pid % 1000}${Date.now() % 100000}`;
    const flow = flowOf(`id: killed
namespace: company.team
tasks:
  - id: sleepy
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - sleep ${marker}
`);
    const { id } = await engine.start(flow);
    let pids: number[] = [];
    for (let i = 0; i < 200 && pids.length === 0; i++) {
      pids = pidsRunning(marker);
      if (pids.length === 0) await new Promise((r) => setTimeout(r, 10));
    }
    expect(pids).toHaveLength(1);
    await engine.kill(id);
    const execution = await engine.wait(id);
    expect(execution.state.current).toBe("KILLED");
    for (let i = 0; i < 100 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 10));
    expect(pids.filter(alive)).toEqual([]);
  });

  it("with isolation off, fails with a clear message when the working directory base is not reachable by the script user", async () => {
    if (!IS_ROOT) return;
    const runner = new LocalProcessRunner({ workDir: "/root/.cadenza-unreachable-test", isolation: false });
    await expect(runner.createWorkspace()).rejects.toThrow(
      /scripts run as user nobody \(uid 65534\), who cannot reach \/root\/.cadenza-unreachable-test: \/root is mode 0700/,
    );
  });
});
