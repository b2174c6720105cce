import {
  type FileStorage,
  type LogLevel,
  type TaskOutcome,
  type TaskRunContext,
  taskRunStoragePrefix,
  type Workspace,
} from "@/engine/plugin";
import { listNamespaceFiles } from "../core/namespace/files";
import { globMatcher } from "../core/storage/glob";

/** The properties of every script task, after validation (see common.ts). Raw ones are rendered here. */
export interface ScriptProperties {
  beforeCommands?: unknown;
  interpreter: string[] | string;
  env?: unknown;
  containerImage?: string;
  taskRunner?: { type: string; [key: string]: unknown };
  inputFiles?: unknown;
  outputFiles?: string[];
  namespaceFiles?: {
    enabled: boolean;
    include?: string[];
    exclude?: string[];
    namespaces?: string[];
    ifExists: "OVERWRITE" | "FAIL" | "WARN" | "IGNORE";
    folderPerNamespace: boolean;
  };
  warningOnStdErr: boolean;
  failFast: boolean;
  targetOS?: string;
  runner?: string;
  // Kestra's pre-0.11 script tasks.
  interpreterArgs?: string[];
  exitOnFailed?: boolean;
  outputsFiles?: string[];
  files?: string[];
  dockerOptions?: unknown;
}

/** Properties the task runner leaves unrendered: they may use `{{ workingDir }}` and `{{ outputDir }}`. */
export const SCRIPT_RAW_PROPERTIES = ["commands", "script", "beforeCommands", "env", "inputFiles"];

/** What a language adds: the main commands, given the rendered properties and the workspace. */
export interface ScriptLanguage<P> {
  /** The commands run after `beforeCommands`. May write files (a script) into the workspace. */
  commands(
    ctx: TaskRunContext<P>,
    workspace: Workspace,
    variables: Record<string, unknown>,
  ): Promise<string[]>;
  /** Commands to run before `beforeCommands` (e.g. installing Python dependencies). */
  setup?(
    ctx: TaskRunContext<P>,
    workspace: Workspace,
  ): Promise<{ commands: string[]; env?: Record<string, string> }>;
}

const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh", "ash", "mksh"]);
const PROCESS_RUNNER = /(^|\.)Process$/;

/** Quotes a word for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function checkRunner(type: string, properties: ScriptProperties): void {
  const runner = properties.taskRunner?.type;
  if (runner !== undefined && !PROCESS_RUNNER.test(runner)) {
    if (/docker/i.test(runner)) {
      throw new Error(
        `${type}: Docker task runners are not supported here (taskRunner ${runner}): this worker runs scripts as local processes; set taskRunner.type to io.kestra.plugin.core.runner.Process (or remove taskRunner) and make sure the interpreter and packages exist on the worker`,
      );
    }
    throw new Error(
      `${type}: the task runner ${runner} is not supported here; only io.kestra.plugin.core.runner.Process (local processes) is`,
    );
  }
  if (properties.runner === "DOCKER" || (properties.dockerOptions !== undefined && runner === undefined)) {
    throw new Error(
      `${type}: Docker task runners are not supported here (runner: DOCKER): this worker runs scripts as local processes; use runner: PROCESS or taskRunner.type io.kestra.plugin.core.runner.Process`,
    );
  }
  if (properties.targetOS === "WINDOWS") {
    throw new Error(`${type}: targetOS WINDOWS is not supported: this worker runs scripts on Linux`);
  }
}

/** The interpreter as a list: `["/bin/sh", "-c"]`; the old string form takes `interpreterArgs` (default `-c`). */
export function interpreterOf(
  properties: Pick<ScriptProperties, "interpreter" | "interpreterArgs">,
): string[] {
  const { interpreter, interpreterArgs } = properties;
  if (Array.isArray(interpreter)) return interpreter;
  return [interpreter, ...(interpreterArgs ?? ["-c"])];
}

const isShell = (interpreter: string[]) =>
  SHELLS.has((interpreter[0] ?? "").split("/").pop() ?? "") && interpreter.includes("-c");

/** Renders a list property that may also be written as one expression yielding a list (or a JSON list). */
export async function renderList(
  ctx: TaskRunContext<unknown>,
  value: unknown,
  variables: Record<string, unknown>,
  property: string,
): Promise<string[]> {
  if (value === undefined || value === null) return [];
  let rendered = await ctx.render(value, variables);
  if (typeof rendered === "string") {
    const text = rendered.trim();
    if (text.startsWith("[")) {
      try {
        rendered = JSON.parse(text);
      } catch {
        // A command that starts with '[' (a test expression): keep it as one command.
      }
    }
  }
  const list = Array.isArray(rendered) ? rendered : [rendered];
  return list.map((item) => {
    if (item === null || item === undefined) throw new Error(`${property}: an item rendered to null`);
    return typeof item === "string" ? item : JSON.stringify(item);
  });
}

async function renderMap(
  ctx: Pick<TaskRunContext<unknown>, "render">,
  value: unknown,
  variables: Record<string, unknown>,
  property: string,
): Promise<Record<string, string>> {
  if (value === undefined || value === null) return {};
  let rendered = await ctx.render(value, variables);
  if (typeof rendered === "string") {
    try {
      rendered = JSON.parse(rendered);
    } catch {
      throw new Error(`${property} must be a map or a JSON string of one`);
    }
  }
  if (rendered === null || typeof rendered !== "object" || Array.isArray(rendered)) {
    throw new Error(`${property} must be a map`);
  }
  return Object.fromEntries(
    Object.entries(rendered as Record<string, unknown>).map(([key, item]) => [
      key,
      typeof item === "string" ? item : item === null || item === undefined ? "" : JSON.stringify(item),
    ]),
  );
}

/**
 * Copies the namespace files `config` selects into a workspace: a script task's own working directory, or
 * the directory a WorkingDirectory's tasks share (worker/working-directory.ts). `written` holds the names
 * already there, for `ifExists`.
 */
export async function copyNamespaceFiles(
  config: ScriptProperties["namespaceFiles"],
  ctx: { execution: { namespace: string }; logger: { warn(message: string): void } },
  storage: FileStorage | undefined,
  workspace: Workspace,
  written: Set<string>,
): Promise<void> {
  if (!config?.enabled) return;
  if (!storage)
    throw new Error("namespaceFiles needs the internal storage, which this engine does not provide");
  const include = config.include?.length ? globMatcher(config.include) : () => true;
  const exclude = config.exclude?.length ? globMatcher(config.exclude) : () => false;
  for (const namespace of config.namespaces?.length ? config.namespaces : [ctx.execution.namespace]) {
    for (const file of await listNamespaceFiles(storage, namespace)) {
      if (!include(file.path) || exclude(file.path)) continue;
      const target = config.folderPerNamespace ? `${namespace}/${file.path}` : file.path;
      if (written.has(target)) {
        if (config.ifExists === "FAIL")
          throw new Error(`namespace file ${target} already exists in the working directory`);
        if (config.ifExists === "IGNORE") continue;
        if (config.ifExists === "WARN") {
          ctx.logger.warn(
            `namespace file ${target} already exists in the working directory: kept the first one`,
          );
          continue;
        }
      }
      await workspace.writeFile(target, await storage.get(file.uri));
      written.add(target);
    }
  }
}

/**
 * Renders `inputFiles` (a map of file names to contents or `kestra://` URIs, or a JSON string of one) and
 * writes them into the workspace. Returns the names written.
 */
export async function writeInputFiles(
  ctx: Pick<TaskRunContext<unknown>, "render">,
  value: unknown,
  variables: Record<string, unknown>,
  workspace: Workspace,
  storage: FileStorage | undefined,
): Promise<string[]> {
  const inputFiles = await renderMap(ctx, value, variables, "inputFiles");
  for (const [name, content] of Object.entries(inputFiles)) {
    if (content.startsWith("kestra://")) {
      if (!storage) throw new Error("inputFiles with kestra:// URIs need the internal storage");
      await workspace.writeFile(name, await storage.get(content));
    } else {
      await workspace.writeFile(name, content);
    }
  }
  return Object.keys(inputFiles);
}

const LOG: Record<LogLevel, keyof TaskRunContext<unknown>["logger"]> = {
  TRACE: "trace",
  DEBUG: "debug",
  INFO: "info",
  WARN: "warn",
  ERROR: "error",
};

const safeName = (name: string) => encodeURIComponent(name).replace(/%20/g, "+").replace(/%2F/g, "/");

/** The URI of an output file of this task run: Kestra's layout, the file's relative path kept. */
function outputUri(ctx: TaskRunContext<unknown>, path: string): string {
  return `${taskRunStoragePrefix(ctx.execution, ctx.task.id, ctx.taskRun.id)}${safeName(path)}`;
}

/**
 * Runs a script task on the worker's process runner: a fresh workspace, namespace and input files, the
 * interpreter with `beforeCommands` and the language's commands, logs, outputs, metrics and output files.
 */
export async function runScript<P extends ScriptProperties>(
  ctx: TaskRunContext<P>,
  type: string,
  language: ScriptLanguage<P>,
): Promise<TaskOutcome> {
  const properties = ctx.properties;
  checkRunner(type, properties);
  const runner = ctx.services.processRunner;
  if (!runner) throw new Error(`${type} needs the script runner, which this engine does not provide`);
  const storage = ctx.services.storage;

  const workspace = await runner.createWorkspace();
  try {
    const legacyOutputs = [...(properties.outputsFiles ?? []), ...(properties.files ?? [])];
    const variables: Record<string, unknown> = {
      workingDir: workspace.workingDir,
      outputDir: workspace.outputDir,
      ...(legacyOutputs.length
        ? {
            outputFiles: Object.fromEntries(
              legacyOutputs.map((name) => [name, `${workspace.workingDir}/${name}`]),
            ),
          }
        : {}),
    };

    const written = new Set<string>();
    await copyNamespaceFiles(ctx.properties.namespaceFiles, ctx, storage, workspace, written);
    for (const name of await writeInputFiles(ctx, properties.inputFiles, variables, workspace, storage)) {
      written.add(name);
    }

    const env = await renderMap(ctx, properties.env, variables, "env");
    const interpreter = interpreterOf(properties);
    const setup = language.setup ? await language.setup(ctx, workspace) : { commands: [] };
    const before = await renderList(ctx, properties.beforeCommands, variables, "beforeCommands");
    const main = await language.commands(ctx, workspace, variables);
    const failFast = properties.exitOnFailed ?? properties.failFast;
    const lines = [
      ...(failFast && isShell(interpreter) ? ["set -e"] : []),
      ...setup.commands,
      ...before,
      ...main,
    ];

    const result = await workspace.run({
      command: [...interpreter, lines.join("\n")],
      env: { ...setup.env, ...env },
      signal: ctx.signal,
      onLog: (level, message) => ctx.logger[LOG[level]](message),
    });
    for (const metric of result.metrics) ctx.metric(metric);
    if (ctx.signal.aborted) throw new Error("the script was stopped");
    if (result.exitCode !== 0) {
      const why =
        result.exitCode === null
          ? `Command was ended by signal ${result.exitSignal ?? "unknown"}`
          : `Command failed with exit code ${result.exitCode}`;
      const tail = result.stderrTail.length ? `: ${result.stderrTail.join("\n")}` : "";
      throw new Error(why + tail);
    }

    const outputFiles: Record<string, string> = {};
    const patterns = [...(properties.outputFiles ?? []), ...legacyOutputs];
    const files = await workspace.collect(patterns);
    if (files.length > 0 && !storage) throw new Error("outputFiles need the internal storage");
    for (const file of files) {
      if (outputFiles[file.path]) continue;
      outputFiles[file.path] = await (storage as FileStorage).put(
        outputUri(ctx, file.path),
        await file.read(),
      );
    }

    const outputs: Record<string, unknown> = {
      exitCode: result.exitCode,
      stdOutLineCount: result.stdoutLineCount,
      stdErrLineCount: result.stderrLineCount,
      vars: result.outputs,
      ...(Object.keys(outputFiles).length ? { outputFiles } : {}),
    };
    const warning = properties.warningOnStdErr && result.stderrLineCount > 0;
    return { outputs, ...(warning ? { state: "WARNING" as const } : {}) };
  } finally {
    await workspace.dispose().catch((error: unknown) => {
      ctx.logger.warn(
        `could not remove the working directory ${workspace.workingDir}: ${(error as Error).message}`,
      );
    });
  }
}

/** A random file name for an inline script, like Kestra's temporary script files. */
export function scriptFileName(extension: string): string {
  const id = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");
  return `script-${id}${extension}`;
}
