import type { InputCipher } from "@/engine/executor";
import type {
  FileStorage,
  FlowService,
  HttpPolicy,
  KvStore,
  PluginRegistry,
  ProcessRunner,
} from "@/engine/plugin";
import { expressionFunctions } from "../expression-functions";
import { newId } from "../ids";
import type { NamespaceIsolation } from "../namespace-access";
import { LocalProcessRunner } from "../runners";
import { tenantStorage } from "../storage/tenant";
import type { EngineContext } from "./context";
import type { Db, Queryable } from "./db";
import { FlowStore } from "./flow-store";
import { databaseKvStore } from "./kv-store";
import { errorLogsOf } from "./logs-store";
import { type Masker, MaskUnavailableError, maskerFor, maskValue } from "./mask";
import { databaseNamespaceAccess } from "./namespace-access";
import { databasePurgeService } from "./purge-service";
import { databaseExecutionService, databaseLogReader, databaseTriggerService } from "./services";

export interface ContextOptions {
  /** Runs script processes; by default local processes in `os.tmpdir()/cadenza-work`. */
  processRunner?: ProcessRunner;
  /** Network rules of HTTP tasks and triggers, per tenant (default: non-public addresses refused). */
  httpPolicy?: (tenantId: string) => HttpPolicy;
  /** The web UI's URL (CADENZA_PUBLIC_URL), for links back to executions in notifications. */
  publicUrl?: string;
  pool: Db;
  registry: PluginRegistry;
  storage: FileStorage;
  now?: () => Date;
  /** Randomness given to the executor and expressions (default Math.random; tests pass a seeded one). */
  random?: () => number;
  newId?: () => string;
  /** Light tasks run inside the executor's transaction (default true). */
  inlineTasks?: boolean;
  /** Secret lookup for secret() (tenant, namespace, name); none when absent. */
  secret?: (tenantId: string, namespace: string, name: string) => Promise<string | undefined>;
  report?: (message: string, error?: unknown) => void;
  /** The secret values of a tenant, to mask in logs and outputs (see EngineContext.masker). */
  secretValues?: (db: Queryable, tenantId: string) => Promise<Iterable<string>>;
  /** Seals SECRET inputs in stored executions; without it they are stored as given (tests, tools). */
  inputCipher?: InputCipher;
  /**
   * A tenant's flows for tasks that read or write them (git.SyncFlows, git.PushFlows): the server gives its
   * flow service (validation, revisions, audit entries); without it those tasks fail saying so.
   */
  flows?: (tenantId: string) => FlowService;
  /** Namespace isolation of tenants without a `namespaceIsolation` setting (default strict). */
  namespaceIsolation?: NamespaceIsolation;
}

const IN_TRANSACTION =
  "it cannot wait for a flow where the engine renders this expression (inside its transaction: a flowable's properties, the flow's outputs, an execution the engine creates itself such as a flow-level retry); it runs where inputs are rendered as an execution is created or validated from the UI, the API or the CLI";

export function createEngineContext(options: ContextOptions): EngineContext {
  const now = options.now ?? (() => new Date());
  const processRunner = options.processRunner ?? new LocalProcessRunner();
  const ctx: EngineContext = {
    pool: options.pool,
    registry: options.registry,
    flows: new FlowStore(options.registry),
    storage: (tenantId) => tenantStorage(options.storage, tenantId),
    now,
    random: options.random ?? Math.random,
    newId: options.newId ?? newId,
    inlineTasks: options.inlineTasks ?? true,
    processRunner,
    namespaceAccess: (db, tenantId) => databaseNamespaceAccess(db, tenantId, options.namespaceIsolation),
    functions: (db, tenantId) => ({
      ...expressionFunctions({
        access: ctx.namespaceAccess(db, tenantId),
        kv: databaseKvStore(db, tenantId, now),
        storage: tenantStorage(options.storage, tenantId),
        secret: options.secret
          ? (namespace, name) => options.secret?.(tenantId, namespace, name) ?? Promise.resolve(undefined)
          : undefined,
        runSubflow: (call) => {
          // Waiting for an execution while holding a transaction would keep its connection and locks for
          // up to the timeout, and the child's own work needs connections from the same pool: refused
          // instead of risking a deadlock. Inputs of executions started from the UI, the API or the CLI
          // are rendered before any transaction (apply.ts createAndStart), so this is where it works.
          if (db !== options.pool) throw new Error(IN_TRANSACTION);
          if (!ctx.runSubflow) throw new Error("no engine runs executions in this process");
          return ctx.runSubflow(tenantId, call);
        },
      }),
      // errorLogs() reads the logs written so far in this transaction too.
      errorLogs: async (_args, _named, { context }) => {
        const id = (context.execution as { id?: string } | undefined)?.id;
        return id ? errorLogsOf(db, id) : [];
      },
    }),
    services: (tenantId) => ({
      kv: maskedKv(databaseKvStore(options.pool, tenantId, now), () => ctx.masker(options.pool, tenantId)),
      storage: maskedTextStorage(tenantStorage(options.storage, tenantId), () =>
        ctx.masker(options.pool, tenantId),
      ),
      processRunner,
      httpPolicy: options.httpPolicy?.(tenantId) ?? { allowPrivateNetworks: false },
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      logs: databaseLogReader(ctx, tenantId),
      executions: databaseExecutionService(ctx, tenantId),
      triggers: databaseTriggerService(ctx, tenantId),
      purge: databasePurgeService(ctx, tenantId),
      ...(options.flows ? { flows: options.flows(tenantId) } : {}),
      registry: options.registry,
    }),
    // Fails closed: when the secrets cannot be loaded, the write that needed the masker fails with it.
    masker: async (db, tenantId, extra = []) => {
      let secrets: Iterable<string> = [];
      try {
        if (options.secretValues) secrets = await options.secretValues(db, tenantId);
      } catch (error) {
        throw new MaskUnavailableError(error);
      }
      return maskerFor([...secrets, ...extra]);
    },
    ...(options.inputCipher ? { inputCipher: options.inputCipher } : {}),
    report: options.report ?? ((message, error) => console.error(`cadenza engine: ${message}`, error ?? "")),
  };
  return ctx;
}

/** A KV store whose written values are masked: `kv.Set` of a rendered `{{ secret('S') }}` stores `******`. */
function maskedKv(kv: KvStore, masker: () => Promise<Masker | undefined>): KvStore {
  return {
    ...kv,
    async set(namespace, key, value, setOptions) {
      const mask = await masker();
      return kv.set(namespace, key, mask ? maskValue(value, mask) : value, setOptions);
    },
  };
}

/**
 * Storage whose text writes are masked: what a task renders and writes as a string (a state store's
 * JSON, a log file, LocalFiles' inputs...). Bytes (a download, a script's output file) are the files'
 * own content and are stored as they are.
 */
function maskedTextStorage(storage: FileStorage, masker: () => Promise<Masker | undefined>): FileStorage {
  return {
    ...storage,
    async put(uri, data) {
      if (typeof data !== "string") return storage.put(uri, data);
      const mask = await masker();
      return storage.put(uri, mask ? mask(data) : data);
    },
  };
}
