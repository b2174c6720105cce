import { z } from "zod";
import { dyn, expression } from "@/engine/plugin";

/** Kestra's pre-0.11 script tasks (`io.kestra.core.tasks.scripts.*`), now aliases of the Commands tasks. */
export const oldScript = (name: string): string => `io.kestra.core.tasks.scripts.${name}`;

const stringList = z.array(z.string());

/** NamespaceFiles: which namespace files are copied into the working directory. */
export const namespaceFiles = z
  .strictObject({
    enabled: dyn(z.boolean())
      .default(true)
      .describe("Copy namespace files into the working directory (true as soon as the block is set)."),
    include: stringList.optional().describe("Only the files matching these glob patterns."),
    exclude: stringList.optional().describe("Not the files matching these glob patterns."),
    namespaces: stringList
      .optional()
      .describe(
        "The namespaces to copy files from, in order (a later one wins); the flow's namespace by default.",
      ),
    ifExists: z
      .enum(["OVERWRITE", "FAIL", "WARN", "IGNORE"])
      .default("OVERWRITE")
      .describe("What to do when a file already exists in the working directory."),
    folderPerNamespace: dyn(z.boolean())
      .default(false)
      .describe("Put the files of each namespace in a folder named after it."),
  })
  .describe("Namespace files to copy into the working directory of the task.");

/** A task runner: where the script runs (`io.kestra.plugin.core.runner.Process`, Docker, ...). */
export const taskRunner = z
  .looseObject({
    type: z
      .string()
      .describe(
        "The task runner type: `io.kestra.plugin.core.runner.Process` (a local process) or `io.kestra.plugin.scripts.runner.docker.Docker` (the default), plus its own properties.",
      ),
  })
  .describe("Where the script runs. Each task runner type has its own properties.");

/** Deprecated Docker options (`docker:` before task runners). */
const dockerOptions = z
  .looseObject({
    image: z.string().optional().describe("The image to run."),
    pullPolicy: z.enum(["IF_NOT_PRESENT", "ALWAYS", "NEVER"]).optional(),
    host: z.string().optional(),
    config: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    user: z.string().optional(),
    entryPoint: stringList.optional(),
    networkMode: z.string().optional(),
    volumes: stringList.optional(),
  })
  .describe("Deprecated: use taskRunner and containerImage.");

/** Properties every script task has (AbstractExecScript). */
export function scriptShape(containerImage: string) {
  return {
    beforeCommands: dyn(stringList)
      .optional()
      .describe(
        "Commands run before the main ones, e.g. to install packages (`pip install -r requirements.txt`).",
      ),
    interpreter: z
      .union([stringList.min(1), z.string().min(1)])
      .default(["/bin/sh", "-c"])
      .describe("The interpreter the commands are given to, with its arguments."),
    env: z
      .union([z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), expression])
      .optional()
      .describe(
        "Environment variables of the process, added to a clean environment (PATH, HOME, LANG, TMPDIR): the worker's own variables never reach scripts.",
      ),
    containerImage: z
      .string()
      .default(containerImage)
      .describe(
        "The container image, when the task runner is container-based. Cadenza runs scripts as local processes: the image is not used.",
      ),
    taskRunner: taskRunner.optional(),
    inputFiles: z
      .union([z.record(z.string(), z.string()), z.string()])
      .optional()
      .describe(
        "Files to create in the working directory: a map of file name to content or `kestra://` URI, or a JSON string of one.",
      ),
    outputFiles: stringList
      .optional()
      .describe(
        "Glob patterns of files of the working directory to send to the internal storage; outputs `outputFiles`.",
      ),
    namespaceFiles: namespaceFiles.optional(),
    warningOnStdErr: dyn(z.boolean())
      .default(false)
      .describe("Deprecated by Kestra 0.23: end the task in WARNING when the script writes to stderr."),
    failFast: dyn(z.boolean())
      .default(true)
      .describe("Stop at the first command that fails (`set -e`); otherwise the last command decides."),
    targetOS: z
      .enum(["LINUX", "WINDOWS", "AUTO"])
      .default("AUTO")
      .describe("The operating system the script runs on."),
    outputDirectory: dyn(z.boolean()).optional().describe("Deprecated: use outputFiles."),
    runner: z.enum(["PROCESS", "DOCKER"]).optional().describe("Deprecated: use taskRunner."),
    docker: dockerOptions.optional(),
  };
}

/** Properties of the pre-0.11 script tasks, accepted on the Commands tasks their names now alias. */
export const legacyShape = {
  interpreterArgs: stringList
    .optional()
    .describe("Deprecated (io.kestra.core.tasks.scripts.*): use interpreter."),
  exitOnFailed: dyn(z.boolean())
    .optional()
    .describe("Deprecated (io.kestra.core.tasks.scripts.*): use failFast."),
  outputsFiles: stringList
    .optional()
    .describe("Deprecated (io.kestra.core.tasks.scripts.*): use outputFiles."),
  files: stringList.optional().describe("Deprecated (io.kestra.core.tasks.scripts.*): use outputFiles."),
  dockerOptions: dockerOptions
    .optional()
    .describe("Deprecated (io.kestra.core.tasks.scripts.*): use taskRunner."),
};

export const commandsProperty = dyn(stringList.min(1, "at least one command is required")).describe(
  "The commands to run, joined into one script for the interpreter. `{{ workingDir }}` and `{{ outputDir }}` can be used.",
);

export const scriptProperty = z
  .string()
  .min(1)
  .describe(
    "The script itself, inline (use the Commands task to run a script file). `{{ workingDir }}` and `{{ outputDir }}` can be used.",
  );

export const scriptOutputs = z.object({
  exitCode: z.number().int().describe("The exit code of the script."),
  stdOutLineCount: z.number().int().describe("The number of lines written to stdout."),
  stdErrLineCount: z.number().int().describe("The number of lines written to stderr."),
  vars: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('The values the script sent with `::{"outputs":{...}}::` lines.'),
  outputFiles: z
    .record(z.string(), z.string())
    .optional()
    .describe(
      "The URI of each file matched by outputFiles (or written to `{{ outputDir }}`), by relative path.",
    ),
});
