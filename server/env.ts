// The environment, validated once. Code reads `env.X`; nothing else reads process.env.
// (Exceptions, each for a reason stated there: prisma.config.ts, playwright.config.ts, scripts/.)
import { isIP } from "node:net";
import path from "node:path";
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { CadenzaError } from "./errors";

const booleanString = z
  .enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" })
  .transform((value) => value === "true" || value === "1" || value === "yes");

export const envSchema = z.object({
  NODE_ENV: z
    .enum(["development", "test", "production"], { error: "must be development, test or production" })
    .default("development"),
  /**
   * PostgreSQL to use, e.g. postgresql://user:password@host:5432/cadenza. When unset, `cadenza
   * start` runs an embedded PostgreSQL with its data in CADENZA_DATA_DIR.
   */
  DATABASE_URL: z
    .string()
    .refine((value) => /^postgres(ql)?:\/\/.+/.test(value) && URL.canParse(value), {
      error: "must be a postgresql://user:password@host:port/database URL",
    })
    .optional(),
  /** Interface the web server listens on; unset = all interfaces. */
  HOST: z.string().optional(),
  PORT: z.coerce
    .number({ error: "must be a port number" })
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be between 1 and 65535" })
    .max(65535, { error: "must be between 1 and 65535" })
    .default(3000),
  /** Where Cadenza keeps local state (the embedded PostgreSQL's data in `pg/`). */
  CADENZA_DATA_DIR: z
    .string()
    .default(".data")
    .transform((dir) => path.resolve(dir)),
  // --- Internal storage (server/storage.ts builds it, once per process) ---
  /**
   * Where the internal storage (task output files, FILE inputs, namespace files) lives: `local` (a
   * directory, CADENZA_STORAGE_DIR) or `s3` (a bucket of an S3-compatible service, CADENZA_S3_*).
   */
  CADENZA_STORAGE: z.enum(["local", "s3"], { error: "must be local or s3" }).default("local"),
  /** The local storage's directory; default `<CADENZA_DATA_DIR>/storage`. */
  CADENZA_STORAGE_DIR: z
    .string()
    .min(1)
    .transform((dir) => path.resolve(dir))
    .optional(),
  /**
   * `true` declares that the local storage directory is the same shared filesystem (NFS, a mounted
   * volume) on every web and engine server: `cadenza server web|engine` refuse local storage without it.
   */
  CADENZA_STORAGE_SHARED: booleanString.default(false),
  /** The S3 API endpoint (`http://minio:9000`); default AWS's endpoint of CADENZA_S3_REGION. */
  CADENZA_S3_ENDPOINT: z
    .url({ error: "must be an http:// or https:// URL", protocol: /^https?$/ })
    .optional(),
  CADENZA_S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]+$/, { error: "must be a region name, e.g. eu-west-1" })
    .optional(),
  CADENZA_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "must be an S3 bucket name (3-63 of a-z 0-9 . -)" })
    .optional(),
  CADENZA_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  CADENZA_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** For temporary credentials. */
  CADENZA_S3_SESSION_TOKEN: z.string().min(1).optional(),
  /** `{endpoint}/{bucket}/key` (true) or `{bucket}.{endpoint}/key` (false); default true with CADENZA_S3_ENDPOINT. */
  CADENZA_S3_PATH_STYLE: booleanString.optional(),
  /** A key prefix inside the bucket (`cadenza/`), so one bucket can hold other things too. */
  CADENZA_S3_PREFIX: z.string().min(1).optional(),
  /** Task attempts (and other engine jobs) one engine process runs at once. */
  CADENZA_WORKER_CONCURRENCY: z.coerce
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be at least 1" })
    .default(10),
  /** Ended executions, logs and failed queue rows older than this many days are purged (0: keep all). */
  CADENZA_RETENTION_DAYS: z.coerce
    .number({ error: "must be a number" })
    .min(0, { error: "must be 0 or more" })
    .default(30),
  /** Run light tasks (Log, Return, OutputValues...) inside the executor's transaction. */
  CADENZA_INLINE_TASKS: booleanString.default(true),
  /** Which engine runs executions: the embedded one (PostgreSQL) or Temporal workflows (worker/temporal). */
  CADENZA_ENGINE: z
    .enum(["embedded", "temporal"], { error: "must be embedded or temporal" })
    .default("embedded"),
  /** The Temporal frontend, host:port (CADENZA_ENGINE=temporal). */
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/, { error: "must be host:port" })
    .optional(),
  /** The Temporal CLI whose dev server `cadenza start --engine temporal` starts (default: `npm run temporal:install`'s). */
  TEMPORAL_CLI: z.string().min(1).optional(),
  /** The Temporal namespace Cadenza's workflows live in; task queues are per tenant inside it. */
  TEMPORAL_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/, { error: "must be a Temporal namespace name" })
    .default("default"),
  /**
   * History events after which an execution's Temporal workflow continues as a new run (continueAsNew);
   * Temporal's own suggestion applies too. Default 10000 (worker/temporal/names.ts).
   */
  CADENZA_TEMPORAL_HISTORY_LIMIT: z.coerce
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(100, { error: "must be at least 100" })
    .optional(),
  /** Connect to Temporal over TLS (the system's roots unless TEMPORAL_TLS_CA_FILE). On with TEMPORAL_API_KEY. */
  TEMPORAL_TLS: booleanString.optional(),
  /** PEM file of the CA that signed the Temporal server's certificate (a private CA). */
  TEMPORAL_TLS_CA_FILE: z.string().min(1).optional(),
  /** PEM files of this process's client certificate and key, for mTLS (both or neither). */
  TEMPORAL_TLS_CERT_FILE: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_FILE: z.string().min(1).optional(),
  /** The name the Temporal server's certificate is checked against, when it is not TEMPORAL_ADDRESS's host. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** API key for Temporal Cloud (or a server that takes one); implies TLS. */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  /**
   * Secret that signs session cookies (Auth.js). `cadenza start` generates one into the data directory when
   * unset; `cadenza server web` needs it (the same on every web replica).
   */
  AUTH_SECRET: z.string().min(16, { error: "must be at least 16 characters" }).optional(),
  /** Trust the Host / X-Forwarded-* headers (Auth.js). Default true: set false only if nothing rewrites them. */
  AUTH_TRUST_HOST: booleanString.optional(),
  /**
   * Key that encrypts secrets at rest (AES-256-GCM): 32 bytes, base64 or 64 hex characters
   * (`openssl rand -base64 32`). Unset in standalone mode: generated into CADENZA_DATA_DIR/secret-key.
   * Every server process of a deployment must share it.
   */
  CADENZA_SECRET_KEY: z
    .string()
    .refine((value) => secretKeyBytes(value) !== undefined, {
      error: "must be 32 bytes, base64 (openssl rand -base64 32) or 64 hex characters",
    })
    .optional(),
  /** `open`: anyone may sign up (creating their own tenant); `invite-only`: accounts come from invitations. */
  CADENZA_SIGNUP: z.enum(["open", "invite-only"], { error: "must be open or invite-only" }).default("open"),
  /** Webhook calls allowed per minute from one client address to one flow (429 beyond). */
  CADENZA_WEBHOOK_RATE_LIMIT: z.coerce
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be at least 1" })
    .default(120),
  /**
   * Proxies in front of Cadenza whose X-Forwarded-For may be believed: a comma-separated list of
   * addresses or CIDR ranges (`10.0.0.0/8, 192.0.2.7, fd00::/8`). Empty: the socket's address only.
   */
  CADENZA_TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry.length > 0),
    )
    .refine((entries) => entries.every(isCidr), {
      error: "must be a comma-separated list of IP addresses or CIDR ranges (10.0.0.0/8, fd00::/8)",
    }),
  /** Seconds between the checks an open event stream makes that its session or token is still valid. */
  CADENZA_STREAM_RECHECK_SECONDS: z.coerce
    .number({ error: "must be a number" })
    .min(1, { error: "must be at least 1" })
    .max(300, { error: "must be at most 300" })
    .default(5),
  /** Optional OpenID Connect sign-in: issuer URL, client id and secret (all three, or none). */
  OIDC_ISSUER: z.url({ error: "must be a URL" }).optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  /** Label of the OIDC button on the sign-in page. */
  OIDC_NAME: z.string().default("SSO"),
  // --- Network and input limits (security) ---
  /**
   * Non-public ranges HTTP tasks and triggers may reach all the same: a comma-separated CIDR list, e.g.
   * `10.0.0.0/8,127.0.0.1/32`. Everything private, loopback, link-local... else is refused.
   */
  CADENZA_HTTP_ALLOWED_NETWORKS: z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .refine((ranges) => ranges.every(isNetwork), {
      error: "must be a comma-separated list of CIDR ranges, e.g. 10.0.0.0/8,127.0.0.1/32",
    })
    .optional(),
  /** `allow`: HTTP tasks may reach every address, private ones included (a single-team installation). */
  CADENZA_HTTP_PRIVATE_NETWORKS: z
    .enum(["block", "allow"], { error: "must be block or allow" })
    .default("block"),
  /**
   * The URL where people reach the web UI (`https://cadenza.example.com`): notifications link back to an
   * execution's page with it. Unset: messages carry no link.
   */
  CADENZA_PUBLIC_URL: z
    .url({ error: "must be an http:// or https:// URL", protocol: /^https?$/ })
    .transform((value) => value.replace(/\/+$/, ""))
    .optional(),
  /** The largest JSON, YAML or text request body (REST and tRPC), in bytes; 413 beyond. */
  CADENZA_MAX_BODY_BYTES: z.coerce
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(1024, { error: "must be at least 1024" })
    .default(10 * 1024 * 1024),
  /**
   * The largest upload (multipart or URL-encoded: FILE inputs, namespace files, flow imports; all files of a
   * request together), in bytes; 413 beyond.
   */
  CADENZA_MAX_UPLOAD_BYTES: z.coerce
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(1024, { error: "must be at least 1024" })
    .default(100 * 1024 * 1024),
  /** The most YAML a flow import's zip may unpack to, in bytes (its entries' sizes together); 413 beyond. */
  CADENZA_MAX_IMPORT_BYTES: z.coerce
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(1024, { error: "must be at least 1024" })
    .default(20 * 1024 * 1024),
  /**
   * `on` (default): every script attempt runs in a bubblewrap sandbox (own pid, mount, IPC, UTS and network
   * namespaces; as root, its own uid); scripts fail with a clear message when bubblewrap or user
   * namespaces are missing. `off`: plain processes as `nobody`, which tenants' scripts can use to see each
   * other: only for trusted single-team installs.
   */
  CADENZA_SCRIPT_ISOLATION: z.enum(["on", "off"], { error: "must be on or off" }).default("on"),
  /**
   * Scripts' network with isolation on. `isolated` (default): outbound through slirp4netns, no route to
   * this machine's own addresses (its database, its web server); `none`: loopback only; `host`: the
   * machine's network, as unsandboxed processes.
   */
  CADENZA_SCRIPT_NETWORK: z
    .enum(["host", "isolated", "none"], { error: "must be host, isolated or none" })
    .default("isolated"),
  /** Uids (and same-numbered gids) given one per running attempt when the engine runs as root. */
  CADENZA_SCRIPT_UID_RANGE: z
    .string()
    .regex(/^\d+-\d+$/, { error: "must be first-last, e.g. 200000-265535" })
    .refine(
      (value) => {
        const [first, last] = value.split("-").map(Number) as [number, number];
        return first >= 1000 && last >= first && last <= 4_294_967_294;
      },
      { error: "must be first-last with 1000 <= first <= last" },
    )
    .default("200000-265535"),
  /** API token for the CLI's client commands (`cadenza flow deploy`). Read by those commands only. */
  CADENZA_TOKEN: z.string().optional(),
});

/** `a.b.c.d/n`, `v6::/n` or one address, in standard notation only (as plugins/core/http reads them). */
function isNetwork(range: string): boolean {
  const [address = "", prefix, ...rest] = range.split("/");
  const v4 = ipaddr.IPv4.isValidFourPartDecimal(address);
  if (rest.length > 0 || !(v4 || ipaddr.IPv6.isValid(address))) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (v4 ? 32 : 128);
}

const OIDC_VARIABLES = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const;

/** TLS settings that cannot work together, as one sentence (undefined when they can). */
function temporalTlsProblem(data: z.infer<typeof envSchema>): string | undefined {
  if (Boolean(data.TEMPORAL_TLS_CERT_FILE) !== Boolean(data.TEMPORAL_TLS_KEY_FILE))
    return "TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together (mTLS needs both)";
  const files = data.TEMPORAL_TLS_CA_FILE || data.TEMPORAL_TLS_CERT_FILE || data.TEMPORAL_TLS_SERVER_NAME;
  if (files && data.TEMPORAL_TLS === false)
    return "TEMPORAL_TLS is false but TEMPORAL_TLS_* files or server name are set";
  if (data.TEMPORAL_API_KEY && data.TEMPORAL_TLS === false)
    return "TEMPORAL_API_KEY needs TLS: leave TEMPORAL_TLS unset or true";
  return undefined;
}

const S3_REQUIRED = [
  "CADENZA_S3_BUCKET",
  "CADENZA_S3_ACCESS_KEY_ID",
  "CADENZA_S3_SECRET_ACCESS_KEY",
] as const;

/** Storage settings that cannot work together, as one sentence (undefined when they can). */
function storageProblem(data: z.infer<typeof envSchema>): string | undefined {
  const s3Set = Object.entries(data)
    .filter(([name, value]) => name.startsWith("CADENZA_S3_") && value !== undefined)
    .map(([name]) => name);
  if (data.CADENZA_STORAGE === "s3") {
    const missing = S3_REQUIRED.filter((name) => data[name] === undefined);
    if (missing.length > 0) return `CADENZA_STORAGE=s3 needs ${missing.join(", ")}`;
    if (data.CADENZA_STORAGE_DIR) return "CADENZA_STORAGE_DIR is for CADENZA_STORAGE=local, not s3";
    return undefined;
  }
  if (s3Set.length > 0)
    return `${s3Set.sort().join(", ")} ${s3Set.length > 1 ? "are" : "is"} set but CADENZA_STORAGE is local: set CADENZA_STORAGE=s3 to use S3`;
  return undefined;
}

/** The 32 bytes of a CADENZA_SECRET_KEY value (base64 or hex), or undefined when it is not one. */
export function secretKeyBytes(value: string): Buffer | undefined {
  const text = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, "hex");
  if (/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(text)) {
    const bytes = Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (bytes.length === 32) return bytes;
  }
  return undefined;
}

/** `192.0.2.7`, `10.0.0.0/8`, `fd00::/8`: an address, or one with a prefix length that fits its family. */
export function isCidr(value: string): boolean {
  const [address = "", prefix, ...rest] = value.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

export type Env = z.infer<typeof envSchema>;

export class EnvError extends CadenzaError {
  override name = "EnvError";
}

/** Validates `source` (process.env by default); throws an EnvError listing every problem. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // An empty variable counts as unset, as shells and .env files often leave them empty.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = envSchema.safeParse(present);
  if (result.success) {
    const temporal = temporalTlsProblem(result.data) ?? storageProblem(result.data);
    if (temporal) throw new EnvError(`Invalid environment: ${temporal}.`);
    const set = OIDC_VARIABLES.filter((name) => result.data[name] !== undefined);
    if (set.length === 0 || set.length === OIDC_VARIABLES.length) return result.data;
    const missing = OIDC_VARIABLES.filter((name) => result.data[name] === undefined);
    throw new EnvError(
      `Invalid environment: ${missing.join(", ")} must be set too (OIDC sign-in needs ${OIDC_VARIABLES.join(", ")}).`,
    );
  }
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".");
    const value = source[name];
    const shown =
      value === undefined || /SECRET|TOKEN|DATABASE_URL|API_KEY|ACCESS_KEY/.test(name)
        ? ""
        : ` (got "${value}")`;
    return `${name} ${issue.message}${shown}`;
  });
  throw new EnvError(`Invalid environment: ${problems.join("; ")}.`);
}

export const env: Env = parseEnv();

/**
 * Publishes settings decided at run time to code loaded later in this process (the Next.js
 * server that `cadenza start` runs in-process reads its own `env` when first loaded), e.g. the
 * URL of the embedded PostgreSQL.
 */
export function exportToProcessEnv(values: Record<string, string>): void {
  Object.assign(process.env, values);
}

/**
 * Secrets given to flows through the environment, as Kestra's open-source edition reads them: a variable
 * `SECRET_<NAME>` holding the base64-encoded value. (Encrypted secrets stored per namespace come with the
 * secrets service.) Read here, like every other variable, never elsewhere.
 */
export function environmentSecret(
  name: string,
  source: Record<string, string | undefined> = process.env,
): string | undefined {
  const encoded = source[`SECRET_${name}`];
  return encoded === undefined ? undefined : Buffer.from(encoded, "base64").toString("utf8");
}

/** The network rules of HTTP tasks and triggers in server processes, from CADENZA_HTTP_* settings. */
export function httpPolicyFrom(
  settings: Pick<Env, "CADENZA_HTTP_ALLOWED_NETWORKS" | "CADENZA_HTTP_PRIVATE_NETWORKS">,
): {
  allowPrivateNetworks: boolean;
  allowedNetworks: string[];
} {
  return {
    allowPrivateNetworks: settings.CADENZA_HTTP_PRIVATE_NETWORKS === "allow",
    allowedNetworks: settings.CADENZA_HTTP_ALLOWED_NETWORKS ?? [],
  };
}

/**
 * The same rules read from the environment as it is now, validating only those two variables (for
 * `cadenza flow run`, which otherwise needs none of the server's settings).
 */
export function httpPolicyFromEnvironment(source: Record<string, string | undefined> = process.env) {
  const keys = ["CADENZA_HTTP_ALLOWED_NETWORKS", "CADENZA_HTTP_PRIVATE_NETWORKS"] as const;
  const picked = Object.fromEntries(keys.map((key) => [key, source[key]]));
  return httpPolicyFrom(parseEnv(picked));
}
