// `npm run schemathesis:install`: installs schemathesis (PyPI, pinned) into .schemathesis/ (git-ignored) with
// pip, and prints the Python path to run it with (`PYTHONPATH=.schemathesis python3 -m schemathesis.cli`).
// The REST fuzz test (test/reliability/api-fuzz.test.ts) runs it against a served API and reports itself
// skipped where it is not installed. Same pattern as scripts/moto-install.mjs.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { pipInstall } from "./pip-install.mjs";

const VERSION = "4.32.5";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const target = path.join(root, ".schemathesis");
// Written last, so a half-finished install is never taken for a complete one.
const stamp = path.join(target, "cadenza-schemathesis-version");
const installed = () => existsSync(stamp) && readFileSync(stamp, "utf8").trim() === VERSION;

pipInstall({
  script: "schemathesis:install",
  requirement: `schemathesis==${VERSION}`,
  target,
  installed,
  placed: () => existsSync(path.join(target, "schemathesis", "cli", "__init__.py")),
  done: () => writeFileSync(stamp, `${VERSION}\n`),
});
process.stderr.write(`schemathesis ${VERSION} in ${target}\n`);
process.stdout.write(`${target}\n`);
