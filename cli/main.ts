import { parseArgs } from "node:util";
import { type CliIo, type Command, UsageError } from "./command";
import { commands } from "./commands";
import { version } from "./version";

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

function commandUsage(command: Command): string {
  const lines = [`Usage: cadenza ${command.path.join(" ")} ${command.usage}`.trimEnd(), "", command.summary];
  const help = command.optionHelp ?? {};
  const names = Object.keys(command.options);
  if (names.length > 0) {
    lines.push("", "Options:");
    for (const name of names) {
      const option = command.options[name];
      const flag = option?.type === "string" ? `--${name} VALUE` : `--${name}`;
      lines.push(`  ${flag.padEnd(24)} ${help[name] ?? ""}`.trimEnd());
    }
  }
  return `${lines.join("\n")}\n`;
}

export function usage(): string {
  const width = Math.max(...commands.map((c) => c.path.join(" ").length)) + 2;
  const list = commands.map((c) => `  ${c.path.join(" ").padEnd(width)} ${c.summary}`);
  return [
    "Usage: cadenza <command> [options]",
    "",
    "Commands:",
    ...list,
    "",
    "Global options:",
    "  --help, -h      show help (also: cadenza <command> --help)",
    "  --version, -v   print the version",
    "",
  ].join("\n");
}

/** Finds the command whose path is the longest prefix of argv. */
function resolve(argv: string[]): { command: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const command of commands) {
    const matches = command.path.every((word, i) => argv[i] === word);
    if (matches && (!best || command.path.length > best.path.length)) best = command;
  }
  return best ? { command: best, rest: argv.slice(best.path.length) } : undefined;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 command failure, 2 usage error. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [first] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    (first === undefined ? io.stderr : io.stdout)(usage());
    return first === undefined ? 2 : 0;
  }
  if (first === "--version" || first === "-v") {
    io.stdout(`cadenza ${version}\n`);
    return 0;
  }
  const found = resolve(argv);
  if (!found) {
    io.stderr(`cadenza: unknown command '${argv.filter((a) => !a.startsWith("-")).join(" ")}'\n\n${usage()}`);
    return 2;
  }
  const { command, rest } = found;
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(commandUsage(command));
    return 0;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    const { min = 0, max = Number.POSITIVE_INFINITY } = command.positionals ?? {};
    if (parsed.positionals.length < min) throw new UsageError("missing argument");
    if (parsed.positionals.length > max)
      throw new UsageError(`unexpected argument '${parsed.positionals[max]}'`);
  } catch (error) {
    io.stderr(`cadenza ${command.path.join(" ")}: ${(error as Error).message}\n\n${commandUsage(command)}`);
    return 2;
  }
  try {
    return await command.run({ values: parsed.values, positionals: parsed.positionals }, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`cadenza ${command.path.join(" ")}: ${error.message}\n\n${commandUsage(command)}`);
      return 2;
    }
    throw error;
  }
}
