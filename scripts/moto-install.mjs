// `npm run moto:install`: installs moto's S3-compatible server (`moto[server]` from PyPI, pinned) into
// .moto/ (git-ignored) with pip, and prints the Python path to run it with (`PYTHONPATH=.moto python3 -m
// moto.server`). The S3 tests (internal storage, the aws.s3 tasks) start it on a free port and report
// themselves skipped where it is not installed. Same pattern as scripts/temporal-install.mjs.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const VERSION = "5.2.5";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const target = path.join(root, ".moto");
// Written last, so a half-finished install is never taken for a complete one.
const stamp = path.join(target, "cadenza-moto-version");

const installed = () => existsSync(stamp) && readFileSync(stamp, "utf8").trim() === VERSION;

if (!installed()) {
  const python = ["python3", "python"].find((name) => spawnSync(name, ["--version"]).status === 0);
  if (!python) {
    process.stderr.write("moto:install: needs python3 with pip\n");
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
      `moto[server]==${VERSION}`,
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  if (pip.status !== 0 || !existsSync(path.join(target, "moto", "server.py"))) {
    process.stderr.write(`moto:install: pip could not install moto[server]==${VERSION}\n`);
    process.exit(1);
  }
  writeFileSync(stamp, `${VERSION}\n`);
}
process.stderr.write(`moto ${VERSION} in ${target}\n`);
process.stdout.write(`${target}\n`);
