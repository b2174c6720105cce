// The data directory and the local storage hold every tenant's files, the embedded PostgreSQL's data and
// log, and the secret keys: nobody but the engine's user may list or read them. At start they are created
// private, a looser mode left by an older version (or a umask) is repaired with a warning, and a directory
// owned by another user is refused (it could be read or swapped by that user).
import { chmod, lstat, mkdir } from "node:fs/promises";
import path from "node:path";
import { CadenzaError } from "../errors";

/**
 * The mode the data directory must have: 0700, or 0711 as root, since the embedded PostgreSQL then runs as
 * the user `postgres`, which must traverse it to its own `pg/` (it still cannot list it).
 */
export function dataDirMode(uid = process.getuid?.() ?? -1): number {
  return uid === 0 ? 0o711 : 0o700;
}

const octal = (mode: number) => (mode & 0o7777).toString(8).padStart(4, "0");

/**
 * Creates `dir` with `mode` when missing; otherwise checks it is a directory of this process's user and
 * removes any permission beyond `mode` (warning once with the old mode). Throws for another owner.
 */
export async function securePrivateDirectory(
  dir: string,
  mode: number,
  warn: (message: string) => void,
): Promise<void> {
  const me = process.getuid?.() ?? -1;
  const created = await mkdir(dir, { recursive: true, mode });
  const info = await lstat(dir);
  if (!info.isDirectory()) throw new CadenzaError(`${dir} must be a directory (it is not): move it away.`);
  if (me >= 0 && info.uid !== me) {
    throw new CadenzaError(
      `${dir} belongs to uid ${info.uid}, not to the user Cadenza runs as (uid ${me}): give it to this user ` +
        `(chown -R ${me} ${dir}) or set CADENZA_DATA_DIR to a directory of its own.`,
    );
  }
  const extra = info.mode & 0o777 & ~mode;
  if (extra !== 0 || created) {
    await chmod(dir, mode);
    // Just created (mkdir's mode went through the umask): nothing to warn about.
    if (extra !== 0 && !created)
      warn(
        `${dir} was mode ${octal(info.mode)}, readable by other users of this machine: set to ${octal(mode)}.`,
      );
  }
}

/** The data directory and its storage root, made private (see the file header). */
export async function secureDataDirectory(
  dataDir: string,
  warn: (message: string) => void = (message) => console.warn(`cadenza: ${message}`),
): Promise<void> {
  await securePrivateDirectory(dataDir, dataDirMode(), warn);
  await securePrivateDirectory(path.join(dataDir, "storage"), 0o700, warn);
}
