import { z } from "zod";
import { dyn } from "@/engine/plugin";

/** Properties of the Python tasks beyond the common script ones (PythonBasedPlugin). */
export const pythonShape = {
  dependencies: z
    .array(z.string())
    .optional()
    .describe("Python packages to install before running (requirement specifiers, e.g. `pandas>=2`)."),
  pythonVersion: z
    .string()
    .optional()
    .describe("The Python version to use; by default the image's or the worker's, else 3.13."),
  dependencyCacheEnabled: dyn(z.boolean())
    .default(true)
    .describe("Cache the installed dependencies across executions."),
  packageManager: z
    .enum(["UV", "PIP"])
    .default("UV")
    .describe("The package manager that installs `dependencies`; UV falls back to PIP when missing."),
};

/** Properties of the deprecated io.kestra.core.tasks.scripts.Python, accepted on python.Commands. */
export const legacyPythonShape = {
  pythonPath: z
    .string()
    .optional()
    .describe("Deprecated (io.kestra.core.tasks.scripts.Python): the Python binary."),
  args: z
    .array(z.string())
    .optional()
    .describe("Deprecated (io.kestra.core.tasks.scripts.Python): script arguments."),
  requirements: z
    .array(z.string())
    .optional()
    .describe("Deprecated (io.kestra.core.tasks.scripts.Python): use dependencies."),
  virtualEnv: dyn(z.boolean()).optional().describe("Deprecated (io.kestra.core.tasks.scripts.Python)."),
  useUv: dyn(z.boolean()).optional().describe("Deprecated (io.kestra.core.tasks.scripts.Python)."),
};

export const PYTHON_IMAGE = "python:3.13-slim";
