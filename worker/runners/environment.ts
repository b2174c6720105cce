/** The PATH scripts get: system directories only (never the server's own PATH, which may point anywhere). */
export const SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin";

export interface EnvironmentParts {
  workingDir: string;
  outputDir: string;
  tmpDir: string;
  lang: string;
  /** Directories put before the system PATH (e.g. the `python` shim). */
  binDirs: readonly string[];
  /** Where the `kestra` Python module is. */
  pythonPath: string;
  /** Where the `@kestra-io/libs` Node module is (a node_modules directory). */
  nodePath: string;
  /** The task's own variables; they win, except that the helper paths stay reachable. */
  extra?: Record<string, string>;
}

/**
 * The complete environment of a script process. Built from nothing: no variable of the server (database
 * URLs, secrets, tokens) reaches the script unless the task sets it in `env`.
 */
export function buildEnvironment(parts: EnvironmentParts): Record<string, string> {
  const extra = parts.extra ?? {};
  const env: Record<string, string> = {
    PATH: [...parts.binDirs, SYSTEM_PATH].join(":"),
    HOME: parts.workingDir,
    LANG: parts.lang,
    TMPDIR: parts.tmpDir,
    // Kestra's task runners expose these two as environment variables too.
    WORKING_DIR: parts.workingDir,
    OUTPUT_DIR: parts.outputDir,
    // Stream Python's output line by line instead of in 8 KiB blocks.
    PYTHONUNBUFFERED: "1",
    PYTHONDONTWRITEBYTECODE: "1",
    ...extra,
  };
  env.PYTHONPATH = joinPath(extra.PYTHONPATH, parts.pythonPath);
  env.NODE_PATH = joinPath(extra.NODE_PATH, parts.nodePath);
  return env;
}

const joinPath = (first: string | undefined, last: string) => (first ? `${first}:${last}` : last);
