// The environment, validated once. Code reads `env.X`; nothing else reads process.env.
// (Exceptions, each for a reason stated there: prisma.config.ts, playwright.config.ts, scripts/.)
import path from "node:path";
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
  /** Secret that signs sessions (Auth.js). Not used until sign-in lands. */
  AUTH_SECRET: z.string().min(16, { error: "must be at least 16 characters" }).optional(),
  /** Trust the Host header behind a proxy (Auth.js). */
  AUTH_TRUST_HOST: booleanString.optional(),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends CadenzaError {
  override name = "EnvError";
}

/** Validates `source` (process.env by default); throws an EnvError listing every problem. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // An empty variable counts as unset, as shells and .env files often leave them empty.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = envSchema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".");
    const value = source[name];
    const shown = value === undefined || /SECRET|DATABASE_URL/.test(name) ? "" : ` (got "${value}")`;
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
