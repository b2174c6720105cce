import type { TaskRunContext, Workspace } from "@/engine/plugin";
import { shellQuote } from "../run";

/** The properties of the Python tasks that change how they run. */
export interface PythonProperties {
  dependencies?: string[];
  requirements?: string[];
  pythonVersion?: string;
}

/** Where dependencies are installed, inside the working directory; put first on PYTHONPATH. */
const PACKAGES_DIR = ".python-packages";

/** `kestra` (the helper library) is provided by the worker: installing it from PyPI is not needed. */
const isKestraLibrary = (spec: string) => /^kestra\s*([<>=!~;[].*)?$/i.test(spec.trim());

/**
 * Installs `dependencies` with pip into the working directory before the commands (no virtual environment
 * and no cache between executions: the worker's python3 with `--target`).
 */
export async function pythonSetup(
  ctx: TaskRunContext<PythonProperties>,
  workspace: Workspace,
): Promise<{ commands: string[]; env?: Record<string, string> }> {
  const { properties } = ctx;
  if (properties.pythonVersion) {
    ctx.logger.warn(
      `pythonVersion ${properties.pythonVersion} is not applied: scripts run with the worker's python3 (see python3 --version)`,
    );
  }
  const wanted = [...(properties.dependencies ?? []), ...(properties.requirements ?? [])];
  const packages = wanted.filter((spec) => !isKestraLibrary(spec));
  if (packages.length === 0) return { commands: [] };
  const target = `${workspace.workingDir}/${PACKAGES_DIR}`;
  return {
    commands: [
      `python3 -m pip install --quiet --disable-pip-version-check --no-input --target ${shellQuote(target)} ${packages.map(shellQuote).join(" ")}`,
    ],
    env: { PYTHONPATH: target },
  };
}
