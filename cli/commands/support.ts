// Shared by the server commands (start, migrate, server web|engine). Not a command itself.
import type { CliIo } from "../command";
import { UsageError } from "../command";

/**
 * Runs a command body, turning the failures a user can act on (CadenzaError: bad environment,
 * port in use, database unreachable...) into one line on stderr and its exit code. Anything else
 * is a bug and keeps its stack trace.
 */
export async function reportingErrors(io: CliIo, name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof Error && error.name !== "UsageError" && "exitCode" in error) {
      io.stderr(`cadenza ${name}: ${error.message}\n`);
      return typeof error.exitCode === "number" ? error.exitCode : 1;
    }
    throw error;
  }
}

/** Parses a --port value. */
export function parsePort(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`--port must be a number between 1 and 65535 (got '${String(value)}')`);
  }
  return port;
}

/** The `--engine` of the server commands: embedded or temporal (undefined: CADENZA_ENGINE decides). */
export function parseEngine(value: unknown): "embedded" | "temporal" | undefined {
  if (value === undefined) return undefined;
  if (value === "embedded" || value === "temporal") return value;
  throw new UsageError(`--engine must be embedded or temporal (got '${String(value)}')`);
}

/** Prints progress lines indented under the command's own lines. */
export function progress(io: CliIo): (message: string) => void {
  return (message) => io.stdout(`  ${message}\n`);
}

/** Things to undo, undone in reverse order; failures are reported, not thrown. */
export class CleanupStack {
  private readonly steps: { label: string; run: () => Promise<void> }[] = [];
  constructor(private readonly io: CliIo) {}

  push(label: string, run: () => Promise<void>): void {
    this.steps.push({ label, run });
  }

  async run(): Promise<void> {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.run();
      } catch (error) {
        this.io.stderr(
          `  (while stopping ${step.label}: ${error instanceof Error ? error.message : String(error)})\n`,
        );
      }
    }
  }
}

/** Thrown to unwind startup when Ctrl-C arrives before the server is up. */
export class Interrupted extends Error {
  override name = "Interrupted";
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new Interrupted();
}

/**
 * For the roles of a multi-machine deployment (`cadenza server ...`): they share one PostgreSQL
 * given by DATABASE_URL, migrated beforehand with `cadenza migrate`.
 */
export async function requireSharedDatabase(role: string, databaseUrl: string | undefined): Promise<string> {
  const { CadenzaError } = await import("../../server/errors");
  if (!databaseUrl) {
    throw new CadenzaError(
      `DATABASE_URL is not set: \`cadenza server ${role}\` needs the PostgreSQL all Cadenza servers share. ` +
        "On a single machine, use `cadenza start` instead (it runs an embedded PostgreSQL).",
    );
  }
  const { checkDatabase } = await import("../../server/runtime/database");
  const { pendingMigrations } = await import("../../server/db/migrate");
  const { migrationsDir } = await import("../../server/paths");
  await checkDatabase(databaseUrl);
  const pending = await pendingMigrations(databaseUrl, migrationsDir);
  if (pending.length > 0) {
    throw new CadenzaError(
      `The database is missing ${pending.length} migration(s) (${pending.join(", ")}): run \`cadenza migrate\` once, then start the servers.`,
    );
  }
  return databaseUrl;
}
