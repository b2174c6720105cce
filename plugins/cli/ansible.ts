import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { CLI_RAW_PROPERTIES, cliOutputs, cliShape, runCli } from "./shared";

const TYPE = "ansible.cli.AnsibleCLI";

export const ansibleCliPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Run Ansible commands (playbooks, ad-hoc commands, galaxy).",
  description: [
    "Runs `commands` (`ansible-playbook -i inventory.ini playbook.yml`...) with the worker's Ansible through",
    "the script runner: `inputFiles` or `namespaceFiles` bring the playbook and inventory, `outputFiles`",
    "keeps what it writes. `ansibleConfig` is written as `ansible.cfg` and given with `ANSIBLE_CONFIG`.",
    "Ansible must be installed on the worker (or by `beforeCommands`): `pip install ansible-core`; when it is",
    "missing the task fails saying so.",
  ].join("\n"),
  rawProperties: CLI_RAW_PROPERTIES,
  schema: z.object({
    ...cliShape("cytopia/ansible:latest-tools"),
    ansibleConfig: z.string().optional().describe("The content of `ansible.cfg`."),
  }),
  outputs: cliOutputs,
  examples: [
    {
      title: "Run a playbook against the worker itself",
      flow: `id: ansible_playbook
namespace: company.team

tasks:
  - id: ansible
    type: io.kestra.plugin.ansible.cli.AnsibleCLI
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    inputFiles:
      inventory.ini: |
        localhost ansible_connection=local
      playbook.yml: |
        - hosts: localhost
          gather_facts: false
          tasks:
            - name: Say hello
              ansible.builtin.debug:
                msg: Hello from Ansible
    commands:
      - ansible-playbook -i inventory.ini playbook.yml
`,
    },
  ],
  run: (ctx) =>
    runCli(ctx, TYPE, {
      binary: "ansible-playbook",
      family: /^ansible(-[a-z]+)?$/,
      install: "install Ansible on the worker (pip install ansible-core), or in beforeCommands",
      env: { ANSIBLE_NOCOLOR: "1", ANSIBLE_FORCE_COLOR: "0", ANSIBLE_HOST_KEY_CHECKING: "False" },
      async prepare(workspace) {
        // Ansible's temporary directories default to the home of the user in /etc/passwd, which the
        // script user may not have (/nonexistent): keep them in the working directory.
        const env: Record<string, string> = {
          ANSIBLE_HOME: `${workspace.workingDir}/.ansible`,
          ANSIBLE_LOCAL_TEMP: `${workspace.workingDir}/.ansible/tmp`,
          ANSIBLE_REMOTE_TEMP: `${workspace.workingDir}/.ansible/tmp`,
        };
        if (ctx.properties.ansibleConfig !== undefined) {
          await workspace.writeFile("ansible.cfg", ctx.properties.ansibleConfig);
          env.ANSIBLE_CONFIG = `${workspace.workingDir}/ansible.cfg`;
        }
        return { env };
      },
    }),
});
