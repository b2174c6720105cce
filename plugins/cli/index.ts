import { ansibleCliPlugin } from "./ansible";
import { dbtCliPlugin } from "./dbt";
import { terraformCliPlugin } from "./terraform";

/** Kestra's dbt, Ansible and Terraform CLI tasks, run through the script runner (see README.md). */
export const cliPlugins = [dbtCliPlugin, ansibleCliPlugin, terraformCliPlugin];
