import { InputValidationError, isTerminal, toExecutionJson } from "@/engine/executor";
import type { Flow } from "@/engine/flow";
import type { EngineMode, ServerEngine } from "@/server/engine";
import { FlowNotFoundError, saveFlowRevision, withTransaction } from "@/worker/embedded";
import { newId } from "@/worker/ids";
import type { LogEntry } from "@/worker/logs";
import type { CliIo } from "../command";
import { resolveFileInputs } from "./file-inputs";
import type { RunFlowOptions, RunFlowResult } from "./run-flow";
import { parseInputs, printLog } from "./run-flow";

export interface EmbeddedRunOptions extends RunFlowOptions {
  /** The flows' YAML sources, stored as revisions before the run (the main flow first). */
  sources: Map<Flow, string>;
  /** PostgreSQL to use; when absent an embedded one starts with its data in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  /** The engine that runs the execution (default embedded; cli/flows/run-temporal.ts passes Temporal's). */
  mode?: EngineMode;
}

/** What a runner is opened with: the database, the engine's mode, where HTTP tasks may connect. */
export type FlowRunnerOptions = Pick<
  EmbeddedRunOptions,
  "databaseUrl" | "dataDir" | "mode" | "httpPolicy" | "quiet"
>;

/** One server engine runtime that runs flows one after another or side by side, until closed. */
export interface FlowRunner {
  run(options: Omit<EmbeddedRunOptions, keyof FlowRunnerOptions>, io: CliIo): Promise<RunFlowResult>;
  close(): Promise<void>;
}

/**
 * Runs a flow on a server engine: PostgreSQL (DATABASE_URL's or an embedded one), migrations, the flows
 * stored in the `main` tenant, an engine runtime in this process (no scheduler: a one-off run starts no
 * schedules) — the embedded engine's, or Temporal workers when `mode` says so —, the execution to its
 * end. Only the execution JSON goes to stdout.
 */
export async function runFlowEmbedded(options: EmbeddedRunOptions, io: CliIo): Promise<RunFlowResult> {
  // Bad inputs are refused before a database is opened.
  const parsed = parseInputs(options.inputs);
  if (typeof parsed === "string") {
    io.stderr(`cadenza flow run: ${parsed}\n`);
    return { code: 2 };
  }
  const runner = await openFlowRunner(options, io);
  try {
    return await runner.run(options, io);
  } finally {
    await runner.close();
  }
}

/**
 * The set-up of `runFlowEmbedded` kept open, so that many runs share one database connection, migration
 * check and engine runtime (the conformance suites run 200 cases this way: a Temporal worker's start and
 * drain took about 2 s of each case).
 */
export async function openFlowRunner(options: FlowRunnerOptions, io: CliIo): Promise<FlowRunner> {
  const { openDatabase } = await import("@/server/runtime/database");
  const { applyMigrations } = await import("@/server/db/migrate");
  const { migrationsDir } = await import("@/server/paths");
  const { openServerEngine, ensureDefaultTenant } = await import("@/server/engine");
  const progress = options.quiet ? undefined : (message: string) => io.stderr(`${message}\n`);
  const database = await openDatabase({
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    onProgress: progress,
  });
  try {
    await applyMigrations(database.url, migrationsDir);
    const engine = await openServerEngine({
      ...(options.mode ? { mode: options.mode } : {}),
      databaseUrl: database.url,
      dataDir: options.dataDir,
      poolSize: 10,
      report: progress,
      ...(options.httpPolicy ? { httpPolicy: options.httpPolicy } : {}),
    });
    try {
      const tenantId = await ensureDefaultTenant(engine);
      await engine.startRuntime({ scheduler: false, retentionDays: 0, concurrency: 8, pollIntervalMs: 200 });
      return {
        run: (run, runIo) => runFlow({ engine, tenantId }, { ...run, quiet: options.quiet }, runIo),
        close: async () => {
          try {
            await engine.close();
          } finally {
            await database.stop();
          }
        },
      };
    } catch (error) {
      await engine.close();
      throw error;
    }
  } catch (error) {
    await database.stop();
    throw error;
  }
}

type OpenEngine = { engine: ServerEngine; tenantId: string };

async function runFlow(
  opened: OpenEngine,
  options: Omit<EmbeddedRunOptions, "databaseUrl" | "dataDir" | "mode" | "httpPolicy">,
  io: CliIo,
): Promise<RunFlowResult> {
  const parsed = parseInputs(options.inputs);
  if (typeof parsed === "string") {
    io.stderr(`cadenza flow run: ${parsed}\n`);
    return { code: 2 };
  }
  const { engine, tenantId } = opened;
  await withTransaction(engine.ctx.pool, async (client) => {
    for (const [flow, source] of options.sources)
      await saveFlowRevision(client, engine.ctx.registry, tenantId, flow, source);
  });
  const { flow } = options;
  const executionId = newId();
  const inputs = await resolveFileInputs(
    parsed.values,
    parsed.files,
    { flow, executionId, storage: engine.ctx.storage(tenantId) },
    io,
  );
  if (!inputs) return { code: 2 };
  let started: Awaited<ReturnType<typeof engine.client.start>>;
  try {
    started = await engine.client.start(tenantId, flow.namespace, flow.id, { id: executionId, inputs });
  } catch (error) {
    if (error instanceof InputValidationError) {
      for (const e of error.errors) io.stderr(`input '${e.input}': ${e.message}\n`);
      return { code: 2 };
    }
    if (error instanceof FlowNotFoundError) {
      io.stderr(`cadenza flow run: ${error.message}\n`);
      return { code: 2 };
    }
    throw error;
  }
  const final = await engine.client.waitForEnd(tenantId, started.id, options.timeoutMs ?? 365 * 86_400_000);
  if (!options.quiet) {
    for (const entry of await engine.client.logs(tenantId, final.id)) printLog(io, entry as LogEntry);
  }
  io.stdout(`${JSON.stringify(toExecutionJson(final), null, 2)}\n`);
  if (!isTerminal(final.state.current)) {
    io.stderr(
      `cadenza flow run: timed out after ${options.timeoutMs} ms; the execution is ${final.state.current} (killed)\n`,
    );
    await engine.client.operate(tenantId, final.id, { type: "kill" }).catch(() => undefined);
    return { code: 3, execution: final };
  }
  return { code: 0, execution: final };
}
