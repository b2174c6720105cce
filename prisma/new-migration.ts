// `npm run db:new -- NAME`: writes prisma/migrations/<timestamp>_<NAME>/ from the changes made to
// prisma/schema.prisma since the last migration. The work is in server/db/migrate.ts.
import { createMigration } from "../server/db/migrate";
import { CadenzaError } from "../server/errors";
import { migrationsDir, schemaPath } from "../server/paths";

const name = process.argv.slice(2).join("_");
if (!name) {
  process.stderr.write("Usage: npm run db:new -- NAME   (e.g. npm run db:new -- add_flow_labels)\n");
  process.exit(2);
}
try {
  const result = await createMigration({ name, schemaPath, migrationsDir });
  if (result.status === "unchanged") {
    process.stdout.write(
      "No changes: prisma/schema.prisma matches the last migration, so no migration was written.\n",
    );
  } else {
    process.stdout.write(
      `Created prisma/migrations/${result.name}/migration.sql (and its snapshot.prisma).\n` +
        "Review the SQL, then apply it with `npm run db:migrate` (npm start also applies it).\n",
    );
  }
} catch (error) {
  if (!(error instanceof CadenzaError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
