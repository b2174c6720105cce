// The one Prisma client of a process, through the pg driver adapter (no native query engine).
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "../env";
import { CadenzaError } from "../errors";
import { PrismaClient } from "./generated/client";

export type { PrismaClient };

/** A new client for `url`. Prefer getDb(); this is for tests and tools that target another database. */
export function createPrismaClient(url: string): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: url }),
    // Tests assert on failures themselves; elsewhere Prisma's own error lines help diagnose.
    log: env.NODE_ENV === "test" ? [] : env.NODE_ENV === "development" ? ["warn", "error"] : ["error"],
  });
}

// Kept on globalThis rather than in a module variable so that (1) development hot reloads reuse
// one pool instead of opening a new one per reload, and (2) `cadenza start`, which runs the Next
// server in its own process, can close the pool the bundled app opened before it stops PostgreSQL.
const cache = globalThis as typeof globalThis & { __cadenzaDb?: PrismaClient };

/** The process's client for DATABASE_URL, created on first use. */
export function getDb(): PrismaClient {
  if (cache.__cadenzaDb) return cache.__cadenzaDb;
  if (!env.DATABASE_URL) {
    throw new CadenzaError(
      "DATABASE_URL is not set: run the app through `cadenza start` (which provides one) or set it.",
    );
  }
  cache.__cadenzaDb = createPrismaClient(env.DATABASE_URL);
  return cache.__cadenzaDb;
}

/** Closes the process's client, if one was opened. */
export async function disconnectDb(): Promise<void> {
  const db = cache.__cadenzaDb;
  cache.__cadenzaDb = undefined;
  await db?.$disconnect();
}
