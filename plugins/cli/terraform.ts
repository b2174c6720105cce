import { z } from "zod";
import { definePlugin } from "@/engine/plugin";
import { CLI_RAW_PROPERTIES, cliOutputs, cliShape, runCli } from "./shared";

const TYPE = "terraform.cli.TerraformCLI";

export const terraformCliPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Run Terraform commands.",
  description: [
    "Runs `commands` (`terraform init`, `terraform plan`, `terraform apply -auto-approve`...) with the",
    "worker's Terraform through the script runner: `inputFiles` or `namespaceFiles` bring the configuration,",
    "`outputFiles` keeps the state or plan. Terraform runs non-interactively (`TF_IN_AUTOMATION=1`,",
    "`TF_INPUT=0`). Keep provider credentials in secrets passed through `env`. Terraform must be installed",
    "on the worker (HashiCorp's release or package); when it is missing the task fails saying so.",
  ].join("\n"),
  rawProperties: CLI_RAW_PROPERTIES,
  schema: z.object(cliShape("hashicorp/terraform")),
  outputs: cliOutputs,
  examples: [
    {
      title: "Apply a configuration and send its outputs to the flow",
      flow: `id: terraform_apply
namespace: company.team

tasks:
  - id: terraform
    type: io.kestra.plugin.terraform.cli.TerraformCLI
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    inputFiles:
      main.tf: |
        output "greeting" {
          value = "hello from terraform"
        }
    outputFiles:
      - terraform.tfstate
    commands:
      - terraform init
      - terraform apply -auto-approve
      - echo "::{\\"outputs\\":$(terraform output -json | tr -d '\\n')}::"
`,
    },
  ],
  run: (ctx) =>
    runCli(ctx, TYPE, {
      binary: "terraform",
      install:
        "install Terraform on the worker (HashiCorp's release from releases.hashicorp.com or its apt repository), or in beforeCommands",
      env: { TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1" },
    }),
});
