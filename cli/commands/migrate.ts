import type { Command } from "../command";
import { progress, reportingErrors } from "./support";

export const migrate: Command = {
  path: ["migrate"],
  summary: "Apply pending database migrations (prisma/migrations), then exit",
  usage: "",
  options: {},
  positionals: { max: 0 },
  run: (_args, io) =>
    reportingErrors(io, "migrate", async () => {
      const { env } = await import("../../server/env");
      const { openDatabase } = await import("../../server/runtime/database");
      const { applyMigrations, loadMigrations } = await import("../../server/db/migrate");
      const { migrationsDir } = await import("../../server/paths");
      const database = await openDatabase({
        databaseUrl: env.DATABASE_URL,
        dataDir: env.CADENZA_DATA_DIR,
        onProgress: progress(io),
      });
      try {
        const applied = await applyMigrations(database.url, migrationsDir);
        const total = (await loadMigrations(migrationsDir)).migrationDirectories.length;
        if (applied.length === 0) {
          io.stdout(
            `Nothing to apply: ${database.description} is up to date (${plural(total, "migration")}).\n`,
          );
        } else {
          io.stdout(`Applied ${plural(applied.length, "migration")} to ${database.description}:\n`);
          for (const name of applied) io.stdout(`  ${name}\n`);
        }
        return 0;
      } finally {
        await database.stop();
      }
    }),
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
