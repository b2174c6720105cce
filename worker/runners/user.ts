import { readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { dirname } from "node:path";

/** The unprivileged identity scripts run as when the worker runs as root. */
export interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

function entries(file: string): string[][] {
  try {
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => line && !line.startsWith("#"))
      .map((line) => line.split(":"));
  } catch {
    return [];
  }
}

/**
 * Finds a user (by name or numeric id) in /etc/passwd, and its group: `group` (a name in /etc/group or a
 * numeric id) or else the user's primary group. Throws a message that says what to configure.
 */
export function resolveRunAs(user: string, group?: string): RunAs {
  const passwd = entries("/etc/passwd");
  const found = passwd.find((fields) => fields[0] === user || (/^\d+$/.test(user) && fields[2] === user));
  let uid: number;
  let gid: number;
  if (found) {
    uid = Number(found[2]);
    gid = Number(found[3]);
  } else if (/^\d+$/.test(user)) {
    uid = Number(user);
    gid = uid;
  } else {
    throw new Error(
      `the script user '${user}' does not exist (not in /etc/passwd): create it or configure another unprivileged user`,
    );
  }
  if (group !== undefined) {
    const byName = entries("/etc/group").find((fields) => fields[0] === group);
    if (byName) gid = Number(byName[2]);
    else if (/^\d+$/.test(group)) gid = Number(group);
    else throw new Error(`the script group '${group}' does not exist (not in /etc/group)`);
  }
  if (uid === 0) throw new Error(`the script user '${user}' is root: configure an unprivileged user`);
  return { name: found?.[0] ?? user, uid, gid };
}

/**
 * Checks that `runAs` can traverse every directory from `/` down to `path` (search permission), so a
 * working directory created there is reachable. Throws naming the first directory that is not.
 */
export async function checkReachable(path: string, runAs: RunAs): Promise<void> {
  const chain: string[] = [];
  for (let dir = path; ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of chain) {
    const info = await stat(dir);
    const bit = info.uid === runAs.uid ? 0o100 : info.gid === runAs.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) {
      throw new Error(
        `scripts run as user ${runAs.name} (uid ${runAs.uid}), who cannot reach ${path}: ${dir} is mode ${(info.mode & 0o777).toString(8).padStart(4, "0")}; set the worker's workDir to a directory every user can traverse (e.g. /tmp/cadenza-work)`,
      );
    }
  }
}
