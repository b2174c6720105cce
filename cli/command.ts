import type { ParseArgsConfig } from "node:util";

/** Where a command writes. Injected so tests can run commands in-process and read what they print. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export type CliOptions = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/** One `cadenza` sub-command. `path` is the words that select it, e.g. `["flow", "run"]`. */
export interface Command {
  path: string[];
  summary: string;
  /** Argument synopsis shown after the command path, e.g. `FILE... [--json]`. */
  usage: string;
  options: CliOptions;
  /** Describes each option for `--help`; keys match `options`. */
  optionHelp?: Record<string, string>;
  positionals?: { min?: number; max?: number };
  /** Returns the process exit code. */
  run: (args: ParsedArgs, io: CliIo) => Promise<number>;
}

/** Thrown by a command for a usage mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {}
