// `npm run moto:install`: installs moto's S3-compatible server (`moto[server]` from PyPI, pinned) into
// .moto/ (git-ignored) with pip, and prints the Python path to run it with (`PYTHONPATH=.moto python3 -m
// moto.server`). The S3 tests (internal storage, the aws.s3 tasks) start it on a free port and report
// themselves skipped where it is not installed. Same pattern as scripts/temporal-install.mjs.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { pipInstall } from "./pip-install.mjs";

const VERSION = "5.2.5";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const target = path.join(root, ".moto");
// Written last, so a half-finished install is never taken for a complete one.
const stamp = path.join(target, "cadenza-moto-version");
const installed = () => existsSync(stamp) && readFileSync(stamp, "utf8").trim() === VERSION;

pipInstall({
  script: "moto:install",
  requirement: `moto[server]==${VERSION}`,
  target,
  installed,
  placed: () => existsSync(path.join(target, "moto", "server.py")),
  done: () => writeFileSync(stamp, `${VERSION}\n`),
});
process.stderr.write(`moto ${VERSION} in ${target}\n`);
process.stdout.write(`${target}\n`);
