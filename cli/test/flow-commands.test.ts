import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtInPlugins } from "@/plugins";
import { conformanceDir } from "@/test/conformance/corpus";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { tempDirs } from "@/test/temp-dirs";
import { main } from "../main";

async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

const tempDir = tempDirs("cadenza-cli");

function tempFlow(yaml: string, name = "flow.yaml"): string {
  const dir = tempDir();
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

const hello = `id: hello
namespace: company.team
inputs:
  - { id: name, type: STRING, defaults: world }
  - { id: count, type: INT, defaults: 1 }
outputs:
  - { id: greeting, type: STRING, value: "{{ outputs.greet.value }}" }
tasks:
  - { id: greet, type: io.kestra.plugin.core.debug.Return, format: "Hello {{ inputs.name }} x{{ inputs.count }}" }
  - { id: say, type: io.kestra.plugin.core.log.Log, message: "{{ outputs.greet.value }}" }
`;

describe("cadenza flow validate", () => {
  it("loads every flow of Kestra's conformance corpus unchanged (exit 0)", async () => {
    const files = readdirSync(`${conformanceDir}/flows`, { recursive: true, encoding: "utf8" })
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => `${conformanceDir}/flows/${f}`);
    expect(files.length).toBe(232); // 220 from Kestra's repository, 12 written here (flows/cadenza/)
    const result = await cli("flow", "validate", ...files);
    expect(result.stdout).toBe("");
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/232 flows in 232 files: valid/);
  });

  it("validates multi-document files and reports an unreadable file", async () => {
    const file = tempFlow(
      `${hello}---\nid: second\nnamespace: n\ntasks:\n  - { id: t, type: core.log.Log }\n`,
    );
    const result = await cli("flow", "validate", file, "/nonexistent/flow.yaml");
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split("\n")).toEqual([
      expect.stringMatching(/flow\.yaml:15:5 tasks\[0\]\.message: missing required property 'message'$/),
      "/nonexistent/flow.yaml:1:1 cannot read file: ENOENT",
    ]);
  });

  it("needs at least one file", async () => {
    const result = await cli("flow", "validate");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/missing argument/);
  });
});

describe.each(["memory", "embedded"])("cadenza flow run --engine %s", (engine) => {
  // The embedded engine runs on a database of this file, with internal storage in a temporary directory.
  let database: TestDatabase | undefined;
  const saved = { url: process.env.DATABASE_URL, dataDir: process.env.CADENZA_DATA_DIR };
  beforeAll(async () => {
    if (engine !== "embedded") return;
    database = await createTestDatabase();
    process.env.DATABASE_URL = database.url;
    process.env.CADENZA_DATA_DIR = mkdtempSync(join(tmpdir(), "cadenza-cli-data-"));
  }, 60_000);
  afterAll(async () => {
    if (engine !== "embedded") return;
    rmSync(String(process.env.CADENZA_DATA_DIR), { recursive: true, force: true });
    for (const [key, value] of [
      ["DATABASE_URL", saved.url],
      ["CADENZA_DATA_DIR", saved.dataDir],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await database?.drop();
  });
  const run = (...args: string[]) => cli("flow", "run", ...args, "--engine", engine);

  it("prints only the final execution as JSON on stdout, logs on stderr, and exits 0", async () => {
    const result = await run(tempFlow(hello), "--input", "name=Ada", "-i", "count=3");
    expect(result.code).toBe(0);
    const execution = JSON.parse(result.stdout);
    expect(execution).toMatchObject({
      namespace: "company.team",
      flowId: "hello",
      state: { current: "SUCCESS" },
      inputs: { name: "Ada", count: 3 },
      outputs: { greeting: "Hello Ada x3" },
    });
    expect(Object.keys(execution.state)).toEqual([
      "current",
      "histories",
      "startDate",
      "endDate",
      "duration",
    ]);
    expect(execution.taskRunList[0]).toMatchObject({
      taskId: "greet",
      parentTaskRunId: null,
      value: null,
      attempts: [{ state: { current: "SUCCESS" } }],
    });
    expect(execution).not.toHaveProperty("internal");
    expect(result.stderr).toMatch(/INFO {2}say: Hello Ada x3/);
  });

  it("exits 0 for a flow that ends FAILED: the run itself worked", async () => {
    const result = await run(
      tempFlow(`id: f\nnamespace: n\ntasks:\n  - { id: boom, type: core.execution.Fail }\n`),
      "-q",
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).state.current).toBe("FAILED");
    expect(result.stderr).toBe("");
  });

  it("exits 2 without running an invalid flow", async () => {
    const result = await run(
      tempFlow(`id: f\nnamespace: n\ntasks:\n  - { id: t, type: core.log.Logg, message: x }\n`),
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /flow\.yaml:4:20 tasks\[0\]\.type: unknown task type 'core\.log\.Logg'; did you mean 'core\.log\.Log'\?/,
    );
  });

  it("exits 2 on invalid inputs, naming each input", async () => {
    const result = await run(tempFlow(hello), "--input", "count=many", "--input", "oops");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--input expects key=value, got 'oops'/);
    const second = await run(tempFlow(hello), "--input", "count=many");
    expect(second.code).toBe(2);
    expect(second.stderr).toBe("input 'count': 'many' is not an integer\n");
  });

  it("exits 3 on timeout, printing the execution as it was", async () => {
    const result = await run(
      tempFlow(`id: f\nnamespace: n\ntasks:\n  - { id: nap, type: core.flow.Sleep, duration: PT1H }\n`),
      "--timeout",
      "300ms",
      "-q",
    );
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).state.current).toBe("RUNNING");
    expect(result.stderr).toMatch(/timed out after 300 ms/);
  });

  it("passes files to FILE inputs with key=@path and loads subflows with --flows", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "data.txt"), "a\nb\nc\n");
    writeFileSync(
      join(dir, "child.yaml"),
      `id: child\nnamespace: n\ninputs:\n  - { id: items, type: STRING }\ntasks:\n  - { id: t, type: core.log.Log, message: "{{ read(inputs.items) }}" }\n`,
    );
    const parent = tempFlow(`id: parent
namespace: n
inputs:
  - { id: file, type: FILE }
tasks:
  - id: each
    type: core.flow.ForEachItem
    items: "{{ inputs.file }}"
    batch: { rows: 2 }
    namespace: n
    flowId: child
    inputs: { items: "{{ taskrun.items }}" }
`);
    const result = await run(parent, "--input", `file=@${join(dir, "data.txt")}`, "--flows", dir, "-q");
    expect(result.code).toBe(0);
    const execution = JSON.parse(result.stdout);
    expect(execution.inputs.file).toMatch(
      /^kestra:\/\/\/n\/parent\/executions\/.+\/inputs\/file\/data\.txt$/,
    );
    expect(execution.taskRunList[0].outputs).toEqual({
      numberOfBatches: 2,
      iterations: { CREATED: 0, RUNNING: 0, SUCCESS: 2 },
    });
  });
});

describe("cadenza flow run --engine", () => {
  it("refuses an unknown engine", async () => {
    const result = await cli("flow", "run", tempFlow(hello), "--engine", "spark");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown engine 'spark' \(memory, embedded or temporal\)/);
  });
});

describe("cadenza plugins schema", () => {
  it("prints the flow language's JSON Schema", async () => {
    const result = await cli("plugins", "schema");
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout);
    expect(schema.$defs.Task.anyOf.length).toBeGreaterThan(40);
    // A plugin registered in plugins/index.ts is in the schema (and so in the editor's completion).
    for (const type of [
      "io.kestra.plugin.notifications.slack.SlackExecution",
      "io.kestra.plugin.serdes.csv.CsvToIon",
      "io.kestra.plugin.notifications.mail.MailSend",
      "io.kestra.plugin.email.MailExecution",
      "io.kestra.plugin.git.Clone",
      "io.kestra.plugin.jdbc.postgresql.Query",
      "io.kestra.plugin.jdbc.postgresql.CopyIn",
      "io.kestra.plugin.jdbc.mysql.Trigger",
      "io.kestra.plugin.jdbc.mariadb.Queries",
    ])
      expect(result.stdout).toContain(`"${type}"`);
  });

  it("has every registered plugin under each of its names (so the editor completes them all)", async () => {
    const result = await cli("plugins", "schema");
    const missing = builtInPlugins
      .flatMap((plugin) => plugin.names)
      .filter((name) => !result.stdout.includes(`"${name}"`));
    expect(missing).toEqual([]);
  });
});

describe("cadenza plugins docs", () => {
  it("prints a page per named plugin, generated from its schema", async () => {
    const result = await cli("plugins", "docs", "io.kestra.plugin.core.log.Log");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# core\.log\.Log\n/);
    expect(result.stdout).toContain(
      '| `level` | "TRACE" \\| "DEBUG" \\| "INFO" \\| "WARN" \\| "ERROR" | no | `"INFO"` | yes | Log level. |',
    );
    expect(result.stdout).toContain("## Examples");
  });

  it("documents MailSend under its plugin-email name too", async () => {
    const result = await cli("plugins", "docs", "io.kestra.plugin.email.MailSend");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# notifications\.mail\.MailSend\n/);
    expect(result.stdout).toContain("`attachments`");
    expect(result.stdout).toContain("`transportStrategy`");
  });

  it("writes every plugin's page and an index into a directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cadenza-docs-"));
    try {
      const result = await cli("plugins", "docs", "--out", dir);
      expect(result.code).toBe(0);
      const files = readdirSync(dir);
      expect(files).toContain("index.md");
      expect(files).toContain("core.flow.ForEach.md");
      expect(files).toContain("notifications.telegram.TelegramSend.md");
      expect(files).toContain("serdes.json.IonToJson.md");
      expect(files).toContain("notifications.mail.MailSend.md");
      expect(files).toContain("notifications.mail.MailExecution.md");
      expect(files).toContain("git.Clone.md");
      expect(files).toContain("jdbc.postgresql.CopyOut.md");
      expect(files).toContain("jdbc.mysql.Query.md");
      expect(files.length).toBeGreaterThan(80);
      // Every registered plugin has its page.
      expect(builtInPlugins.map((p) => `${p.type}.md`).filter((f) => !files.includes(f))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses an unknown plugin with a suggestion", async () => {
    const result = await cli("plugins", "docs", "core.log.Logg");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown plugin 'core\.log\.Logg'; did you mean 'core\.log\.Log'\?/);
  });
});
