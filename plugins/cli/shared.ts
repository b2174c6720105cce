import { z } from "zod";
import type { TaskOutcome, TaskRunContext, Workspace } from "@/engine/plugin";
import { commandsProperty, scriptOutputs, scriptShape } from "../scripts/common";
import {
  renderList,
  runScript,
  SCRIPT_RAW_PROPERTIES,
  type ScriptProperties,
  shellQuote,
} from "../scripts/run";

/**
 * The properties of Kestra's CLI tasks (AbstractExecScript without the interpreter): `commands` run with
 * `/bin/sh -c` in a fresh working directory, with `beforeCommands`, `env`, `inputFiles`, `outputFiles`,
 * `namespaceFiles` and `taskRunner` as for the script tasks.
 */
export function cliShape(containerImage: string) {
  const {
    interpreter: _interpreter,
    outputDirectory: _o,
    runner: _r,
    docker: _d,
    ...shape
  } = scriptShape(containerImage);
  return { commands: commandsProperty, ...shape };
}

export const cliOutputs = scriptOutputs;
export const CLI_RAW_PROPERTIES = SCRIPT_RAW_PROPERTIES;

export interface CliTool {
  /** The program every command needs, e.g. `dbt`. */
  binary: string;
  /** Other programs of the tool that commands may start with (`ansible-playbook`, `ansible-galaxy`...). */
  family?: RegExp;
  /** How to install it, for the error when it is missing. */
  install: string;
  /** Files written and variables set before the commands run (profiles.yml, ansible.cfg...). */
  prepare?(workspace: Workspace): Promise<{ env?: Record<string, string>; commands?: string[] }>;
  /** Variables the tool gets unless the task's `env` sets them. */
  env?: Record<string, string>;
}

/**
 * The shell lines that stop with a clear message when a program is not on the PATH (after
 * `beforeCommands`, which may install it), instead of `sh: dbt: not found`.
 */
export function requireBinaries(binaries: readonly string[], install: string): string[] {
  return binaries.map(
    (binary) =>
      `command -v ${shellQuote(binary)} >/dev/null 2>&1 || { echo ${shellQuote(`${binary} was not found on the worker's PATH: ${install}`)} >&2; exit 127; }`,
  );
}

/** The programs the commands start (the first word of each command that belongs to the tool), or the tool's own. */
export function binariesOf(commands: readonly string[], tool: Pick<CliTool, "binary" | "family">): string[] {
  const found = new Set<string>();
  for (const command of commands) {
    const first = command.trim().split(/\s+/)[0] ?? "";
    if (first === tool.binary || tool.family?.test(first)) found.add(first);
  }
  return found.size ? [...found] : [tool.binary];
}

/** Runs a CLI task through the script runner, with the tool's check, files and variables. */
export function runCli<P extends Omit<ScriptProperties, "interpreter"> & { commands: unknown }>(
  ctx: TaskRunContext<P>,
  type: string,
  tool: CliTool,
): Promise<TaskOutcome> {
  const withShell = { ...ctx, properties: { ...ctx.properties, interpreter: ["/bin/sh", "-c"] } };
  return runScript(withShell as TaskRunContext<P & ScriptProperties>, type, {
    async setup(_ctx, workspace) {
      const prepared = (await tool.prepare?.(workspace)) ?? {};
      return { commands: prepared.commands ?? [], env: { ...tool.env, ...prepared.env } };
    },
    async commands(_ctx, _workspace, variables) {
      const commands = await renderList(ctx, ctx.properties.commands, variables, "commands");
      return [...requireBinaries(binariesOf(commands, tool), tool.install), ...commands];
    },
  });
}

export const cliSchema = (containerImage: string, extra: z.ZodRawShape = {}) =>
  z.object({ ...cliShape(containerImage), ...extra });
