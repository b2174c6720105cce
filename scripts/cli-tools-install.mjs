// `npm run cli-tools:install`: installs the command-line tools the CLI-wrapper tasks' tests run for real,
// from PyPI (pinned) into .cli-tools/<tool> (git-ignored): ansible-core (AnsibleCLI) and dbt-core with the
// DuckDB adapter (DbtCLI). A tool runs with `PATH=.cli-tools/<tool>/bin:...` and
// `PYTHONPATH=.cli-tools/<tool>`; the tests report themselves skipped where it is not installed. Prints
// the folder. Same pattern as scripts/moto-install.mjs.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { pipInstall } from "./pip-install.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const folder = path.join(root, ".cli-tools");

const TOOLS = [
  { name: "ansible", requirement: ["ansible-core==2.19.14"], binary: "ansible-playbook" },
  { name: "dbt", requirement: ["dbt-core==1.11.2", "dbt-duckdb==1.11.1"], binary: "dbt" },
];

/**
 * pip writes the absolute path of the Python that installed a tool into its scripts' `#!` line; scripts run
 * as an unprivileged user with the system PATH, who may not reach that Python (a pyenv under /root): the
 * scripts ask for `python3` from the PATH instead (the same minor version on this machine and in CI).
 */
function portableShebangs(bin) {
  for (const name of readdirSync(bin)) {
    const file = path.join(bin, name);
    let text;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    const [first = "", ...rest] = text.split("\n");
    if (/^#!\S*python[0-9.]*$/.test(first) && first !== "#!/usr/bin/env python3")
      writeFileSync(file, ["#!/usr/bin/env python3", ...rest].join("\n"));
  }
}

for (const tool of TOOLS) {
  const target = path.join(folder, tool.name);
  // Written last, so a half-finished install is never taken for a complete one.
  const stamp = path.join(target, "cadenza-tool-version");
  const version = tool.requirement.join(" ");
  pipInstall({
    script: "cli-tools:install",
    requirement: tool.requirement,
    target,
    installed: () => existsSync(stamp) && readFileSync(stamp, "utf8").trim() === version,
    placed: () => existsSync(path.join(target, "bin", tool.binary)),
    done: () => writeFileSync(stamp, `${version}\n`),
  });
  portableShebangs(path.join(target, "bin"));
  process.stderr.write(`${version} in ${target}\n`);
}
process.stdout.write(`${folder}\n`);
