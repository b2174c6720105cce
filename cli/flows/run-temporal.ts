import { InputValidationError, isTerminal, toExecutionJson } from "@/engine/executor";
import { saveFlowRevision, withTransaction } from "@/worker/embedded";
import { newId } from "@/worker/ids";
import type { LogEntry } from "@/worker/logs";
import type { CliIo } from "../command";
import { resolveFileInputs } from "./file-inputs";
import type { EmbeddedRunOptions } from "./run-embedded";
import type { RunFlowResult } from "./run-flow";
import { parseInputs, printLog } from "./run-flow";

export interface TemporalRunOptions extends EmbeddedRunOptions {
  temporalAddress: string;
  temporalNamespace: string;
}

/**
 * Runs a flow on the Temporal driver: PostgreSQL for the read model (as `--engine embedded`), the flows
 * stored as revisions, a Temporal worker for the `main` tenant's task queue in this process, the
 * execution as a workflow on the Temporal server at `temporalAddress`, to its end. Only the execution
 * JSON (read back from PostgreSQL) goes to stdout.
 */
export async function runFlowTemporal(options: TemporalRunOptions, io: CliIo): Promise<RunFlowResult> {
  const parsed = parseInputs(options.inputs);
  if (typeof parsed === "string") {
    io.stderr(`cadenza flow run: ${parsed}\n`);
    return { code: 2 };
  }
  const { openDatabase } = await import("@/server/runtime/database");
  const { applyMigrations } = await import("@/server/db/migrate");
  const { migrationsDir } = await import("@/server/paths");
  const { openServerEngine, ensureDefaultTenant } = await import("@/server/engine");
  const { startTemporalWorker, TemporalEngineClient } = await import("@/worker/temporal");
  const progress = options.quiet ? undefined : (message: string) => io.stderr(`${message}\n`);
  const database = await openDatabase({
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    onProgress: progress,
  });
  try {
    await applyMigrations(database.url, migrationsDir);
    const engine = await openServerEngine({
      databaseUrl: database.url,
      dataDir: options.dataDir,
      poolSize: 10,
      report: progress,
      ...(options.httpPolicy ? { httpPolicy: options.httpPolicy } : {}),
    });
    try {
      const tenantId = await ensureDefaultTenant(engine);
      await withTransaction(engine.ctx.pool, async (client) => {
        for (const [flow, source] of options.sources)
          await saveFlowRevision(client, engine.ctx.registry, tenantId, flow, source);
      });
      const temporal = { address: options.temporalAddress, namespace: options.temporalNamespace };
      const worker = await startTemporalWorker({ ctx: engine.ctx, ...temporal, tenantIds: [tenantId] });
      const client = await TemporalEngineClient.connect(engine.ctx, temporal);
      try {
        const { flow } = options;
        const stored = await engine.ctx.flows.current(engine.ctx.pool, tenantId, flow.namespace, flow.id);
        if (!stored) throw new Error(`flow ${flow.namespace}.${flow.id} was not stored`);
        const executionId = newId();
        const inputs = await resolveFileInputs(
          parsed.values,
          parsed.files,
          { flow, executionId, storage: engine.ctx.storage(tenantId) },
          io,
        );
        if (!inputs) return { code: 2 };
        try {
          await client.start(tenantId, stored, { id: executionId, inputs });
        } catch (error) {
          if (error instanceof InputValidationError) {
            for (const e of error.errors) io.stderr(`input '${e.input}': ${e.message}\n`);
            return { code: 2 };
          }
          throw error;
        }
        const final = await client.waitForEnd(tenantId, executionId, options.timeoutMs ?? 365 * 86_400_000);
        if (!options.quiet) {
          for (const entry of await engine.client.logs(tenantId, final.id)) printLog(io, entry as LogEntry);
        }
        io.stdout(`${JSON.stringify(toExecutionJson(final), null, 2)}\n`);
        if (!isTerminal(final.state.current)) {
          io.stderr(
            `cadenza flow run: timed out after ${options.timeoutMs} ms; the execution is ${final.state.current} (killed)\n`,
          );
          await client.kill(tenantId, final.id).catch(() => undefined);
          return { code: 3, execution: final };
        }
        return { code: 0, execution: final };
      } finally {
        await worker.shutdown();
        // The client's gRPC channel is left to the process: closing it while a call of the SDK is between
        // retries throws "Channel has been shut down" from a timer, outside any caller.
        void client;
      }
    } finally {
      await engine.close();
    }
  } finally {
    await database.stop();
  }
}
