// The dbt, Ansible and Terraform CLI tasks through the script runner. Each real run uses the real tool:
// ansible-core and dbt-core + dbt-duckdb installed from PyPI into .cli-tools/ by `npm run cli-tools:install`,
// Terraform where the machine has it; a test whose tool is absent reports itself skipped. The missing-binary
// error is tested with a PATH that has none of them.
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LocalProcessRunner } from "@/worker/runners";
import { errorOf, newEngine, outputsOf, run, text } from "./helpers";

const TOOLS = path.resolve(__dirname, "../../.cli-tools");
const ansible = path.join(TOOLS, "ansible");
const dbt = path.join(TOOLS, "dbt");
const hasAnsible = existsSync(path.join(ansible, "bin", "ansible-playbook"));
const hasDbt = existsSync(path.join(dbt, "bin", "dbt"));
const terraformBinary = ["/usr/local/bin/terraform", "/usr/bin/terraform"].find((p) => existsSync(p));

const engineOf = () => newEngine({ processRunner: new LocalProcessRunner({ isolation: false }) }).engine;

/** The env block that puts a pip-installed tool on the PATH of the script. */
const toolEnv = (folder: string) => `    env:
      PATH: ${folder}/bin:/usr/local/bin:/usr/bin:/bin
      PYTHONPATH: ${folder}
`;

describe("missing binaries", () => {
  it.each([
    [
      "io.kestra.plugin.dbt.cli.DbtCLI",
      "dbt build",
      /^Command failed with exit code 127: dbt was not found on the worker's PATH: install dbt and its adapter on the worker \(pip install dbt-core dbt-duckdb/,
    ],
    [
      "io.kestra.plugin.ansible.cli.AnsibleCLI",
      "ansible-playbook site.yml",
      /^Command failed with exit code 127: ansible-playbook was not found on the worker's PATH: install Ansible on the worker \(pip install ansible-core\)/,
    ],
    [
      "io.kestra.plugin.terraform.cli.TerraformCLI",
      "terraform init",
      /^Command failed with exit code 127: terraform was not found on the worker's PATH: install Terraform on the worker/,
    ],
  ])("%s fails saying how to install the tool", async (type, command, message) => {
    const execution = await run(
      engineOf(),
      `id: missing
namespace: company.team
tasks:
  - id: cli
    type: ${type}
    env:
      PATH: /usr/bin:/bin
    beforeCommands:
      - echo before
    commands:
      - ${command}
`,
    );
    expect(execution.state.current).toBe("FAILED");
    expect(errorOf(execution, "cli")).toMatch(message);
  });
});

describe.skipIf(!hasAnsible)("io.kestra.plugin.ansible.cli.AnsibleCLI (ansible-core from PyPI)", () => {
  it("runs a playbook against localhost and keeps the file it writes", async () => {
    const engine = engineOf();
    const execution = await run(
      engine,
      `id: ansible
namespace: company.team
tasks:
  - id: ansible
    type: io.kestra.plugin.ansible.cli.AnsibleCLI
${toolEnv(ansible)}    ansibleConfig: |
      [defaults]
      stdout_callback = default
      retry_files_enabled = False
    inputFiles:
      inventory.ini: |
        localhost ansible_connection=local ansible_python_interpreter=python3
      playbook.yml: |
        - hosts: localhost
          gather_facts: false
          tasks:
            - name: Write a file
              ansible.builtin.copy:
                dest: "{{ '{{' }} playbook_dir {{ '}}' }}/hello.txt"
                content: "hello from {{ flow.id }}\\n"
    outputFiles:
      - hello.txt
    commands:
      - test "$ANSIBLE_CONFIG" = "$PWD/ansible.cfg"
      - ansible-playbook -i inventory.ini playbook.yml
`,
    );
    expect(errorOf(execution, "ansible"), engine.logs.map((l) => l.message).join("\n")).toBeUndefined();
    const outputs = outputsOf(execution, "ansible") as {
      exitCode: number;
      outputFiles: Record<string, string>;
    };
    expect(outputs.exitCode).toBe(0);
    expect(await text(engine, outputs.outputFiles["hello.txt"])).toBe("hello from ansible\n");
  }, 120_000);
});

describe.skipIf(!hasDbt)("io.kestra.plugin.dbt.cli.DbtCLI (dbt-core + dbt-duckdb from PyPI)", () => {
  it("builds a project on DuckDB with the given profiles and reads its run results", async () => {
    const engine = engineOf();
    const execution = await run(
      engine,
      `id: dbt
namespace: company.team
tasks:
  - id: dbt
    type: io.kestra.plugin.dbt.cli.DbtCLI
${toolEnv(dbt)}    projectDir: project
    profiles: |
      demo:
        target: dev
        outputs:
          dev:
            type: duckdb
            path: "{{ '{{' }} env_var('WORKING_DIR') {{ '}}' }}/demo.duckdb"
            threads: 1
    inputFiles:
      project/dbt_project.yml: |
        name: demo
        version: "1.0.0"
        profile: demo
      project/models/orders.sql: |
        select 1 as id, 10 as total union all select 2, 5
      project/models/totals.sql: |
        select sum(total) as total from {{ '{{' }} ref('orders') {{ '}}' }}
    commands:
      - dbt build
`,
    );
    expect(errorOf(execution, "dbt")).toBeUndefined();
    expect(outputsOf(execution, "dbt")).toMatchObject({ exitCode: 0 });
    // The run results were parsed: one log line per model, not an output file nobody asked for.
    const messages = engine.logs.filter((l) => l.executionId === execution.id).map((l) => l.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^dbt model\.demo\.orders: success in /),
        expect.stringMatching(/^dbt model\.demo\.totals: success in /),
      ]),
    );
    expect(outputsOf(execution, "dbt").outputFiles).toBeUndefined();
  }, 180_000);
});

describe.skipIf(!terraformBinary)(
  "io.kestra.plugin.terraform.cli.TerraformCLI (the machine's Terraform)",
  () => {
    it("applies a configuration and sends its outputs to the flow", async () => {
      const execution = await run(
        engineOf(),
        `id: terraform
namespace: company.team
tasks:
  - id: terraform
    type: io.kestra.plugin.terraform.cli.TerraformCLI
    inputFiles:
      main.tf: |
        variable "who" {
          type = string
        }
        output "greeting" {
          value = "hello \${var.who}"
        }
    env:
      TF_VAR_who: "{{ flow.namespace }}"
    outputFiles:
      - terraform.tfstate
    commands:
      - terraform init -no-color
      - terraform apply -auto-approve -no-color
      - echo "::{\\"outputs\\":$(terraform output -json | tr -d '\\n')}::"
`,
      );
      expect(errorOf(execution, "terraform")).toBeUndefined();
      const outputs = outputsOf(execution, "terraform") as {
        vars: Record<string, { value: string }>;
        outputFiles: Record<string, string>;
      };
      expect(outputs.vars.greeting?.value).toBe("hello company.team");
      expect(Object.keys(outputs.outputFiles)).toEqual(["terraform.tfstate"]);
    }, 120_000);
  },
);
