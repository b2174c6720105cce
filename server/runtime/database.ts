// Which PostgreSQL a server process uses: DATABASE_URL's, or an embedded one started here.
import pg from "pg";
import { startEmbeddedPostgres } from "../db/embedded-postgres";
import { CadenzaError, errorCode, errorMessage } from "../errors";

export interface DatabaseHandle {
  url: string;
  /** "external" for DATABASE_URL, "embedded" for the PostgreSQL this process started. */
  kind: "external" | "embedded";
  /** For messages: host:port/database, no credentials. */
  description: string;
  /** Stops the embedded PostgreSQL; nothing for an external one. */
  stop: () => Promise<void>;
}

export async function openDatabase(options: {
  databaseUrl: string | undefined;
  dataDir: string;
  onProgress?: (message: string) => void;
}): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    await checkDatabase(options.databaseUrl, { createIfMissing: true, onProgress: options.onProgress });
    return {
      url: options.databaseUrl,
      kind: "external",
      description: describeUrl(options.databaseUrl),
      stop: async () => {},
    };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: options.dataDir, onProgress: options.onProgress });
  return {
    url: embedded.url,
    kind: "embedded",
    description: `embedded PostgreSQL on 127.0.0.1:${embedded.port}, data in ${embedded.dataDir}/pg`,
    stop: embedded.stop,
  };
}

/**
 * Connects to `url` once and turns the usual failures into one line that says what to do.
 * With createIfMissing, a database that does not exist yet is created (as `prisma migrate` does).
 */
export async function checkDatabase(
  url: string,
  options: { createIfMissing?: boolean; onProgress?: (message: string) => void; timeoutMs?: number } = {},
): Promise<void> {
  const where = describeUrl(url);
  const connect = async (connectionString: string) => {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: options.timeoutMs ?? 5_000 });
    client.on("error", () => {});
    await client.connect();
    return client;
  };
  try {
    const client = await connect(url);
    await client.end();
    return;
  } catch (error) {
    const code = errorCode(error);
    if (code === "3D000" && options.createIfMissing) {
      const database = new URL(url).pathname.slice(1);
      const admin = new URL(url);
      admin.pathname = "/postgres";
      try {
        const client = await connect(admin.toString());
        try {
          await client.query(`create database ${client.escapeIdentifier(decodeURIComponent(database))}`);
        } finally {
          await client.end();
        }
        options.onProgress?.(`Created database ${decodeURIComponent(database)} on ${where}.`);
        return;
      } catch (createError) {
        throw new CadenzaError(
          `Database ${decodeURIComponent(database)} does not exist on ${where} and could not be created ` +
            `(${errorMessage(createError)}): create it, or point DATABASE_URL at an existing one.`,
          { cause: createError },
        );
      }
    }
    throw new CadenzaError(connectionFailure(where, error), { cause: error });
  }
}

function connectionFailure(where: string, error: unknown): string {
  const code = errorCode(error);
  const fix = "fix DATABASE_URL, or unset it to use the embedded PostgreSQL";
  switch (code) {
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "ETIMEDOUT":
    case "ECONNRESET":
      return `Cannot reach PostgreSQL at ${where} (${code}): start it or ${fix}.`;
    case "28P01":
    case "28000":
      return `PostgreSQL at ${where} refused the login (${errorMessage(error)}): ${fix}.`;
    case "3D000":
      return `PostgreSQL at ${where}: ${errorMessage(error)}: create it, or ${fix}.`;
    default:
      if (/timeout/i.test(errorMessage(error))) {
        return `Cannot reach PostgreSQL at ${where} (no answer within the connection timeout): start it or ${fix}.`;
      }
      return `Cannot connect to PostgreSQL at ${where} (${errorMessage(error)}): ${fix}.`;
  }
}

/** host:port/database of a PostgreSQL URL, without credentials. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || "localhost"}:${parsed.port || "5432"}${parsed.pathname}`;
  } catch {
    return "DATABASE_URL";
  }
}
