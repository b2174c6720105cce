import type { Execution, InputCipher } from "@/engine/executor";
import type { ExprFunction } from "@/engine/expr";
import type { FileStorage, PluginRegistry, ProcessRunner, TaskServices } from "@/engine/plugin";
import type { NamespaceAccess } from "../namespace-access";
import type { SubflowCall } from "../subflow-function";
import type { Db, Queryable } from "./db";
import type { FlowStore } from "./flow-store";
import type { Masker } from "./mask";

/** What every part of the embedded engine shares. */
export interface EngineContext {
  pool: Db;
  registry: PluginRegistry;
  flows: FlowStore;
  /** Internal storage as one tenant sees it (its files apart from every other tenant's). */
  storage(tenantId: string): FileStorage;
  now(): Date;
  /** Random numbers in [0, 1) for the executor (retry jitter) and expressions (randomInt, uuid). */
  random(): number;
  newId(): string;
  /** Run light tasks (Log, Return, OutputValues...) inside the executor's transaction instead of queuing them. */
  inlineTasks: boolean;
  /** Expression functions backed by the database and storage (kv, secret, read, errorLogs), bound to `db`. */
  functions(db: Queryable, tenantId: string): Record<string, ExprFunction>;
  /** Runs script processes; also releases WorkingDirectory directories when an execution ends. */
  processRunner: ProcessRunner;
  /** Capabilities given to runnable tasks. */
  services(tenantId: string): TaskServices;
  /** The tenant's namespace boundaries (allowed namespaces, isolation setting), read through `db`. */
  namespaceAccess(db: Queryable, tenantId: string): NamespaceAccess;
  /**
   * The secret values of a tenant to mask wherever they would be written (logs, outputs, errors); none when
   * the host has no secrets service.
   */
  masker(db: Queryable, tenantId: string, extra?: Iterable<string>): Promise<Masker | undefined>;
  /** Seals SECRET inputs in stored executions (absent: they are stored as given). */
  inputCipher?: InputCipher;
  /** Where the engine reports its own problems (not an execution's logs). */
  report(message: string, error?: unknown): void;
  /**
   * subflow(): starts an execution of the tenant through the engine that runs this context's executions
   * (embedded or Temporal) and resolves with it once it has ended. Set by the EngineClient made on this
   * context (a process makes one); without one, subflow() says no engine runs executions here.
   */
  runSubflow?(tenantId: string, call: SubflowCall): Promise<Execution>;
}
