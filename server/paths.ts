import { fileURLToPath } from "node:url";

/**
 * The repository root (where package.json is). Used by the CLI and scripts, which run from the
 * source tree; code bundled into the Next app must not rely on it.
 */
export const repoRoot: string = fileURLToPath(new URL("../", import.meta.url));

export const prismaDir: string = fileURLToPath(new URL("../prisma/", import.meta.url));
export const schemaPath: string = fileURLToPath(new URL("../prisma/schema.prisma", import.meta.url));
export const migrationsDir: string = fileURLToPath(new URL("../prisma/migrations/", import.meta.url));
