// Generates the Prisma client after `npm install`.
// Prisma's CLI tries to download its native schema engine even for `generate`, which cannot
// work offline; pointing it at /bin/false makes generate skip that download (never /bin/true:
// migrate would then "succeed" doing nothing). Migrations use the WebAssembly engine instead
// (see server/db/migrate.ts).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

if (!existsSync("prisma/schema.prisma")) process.exit(0);
const result = spawnSync("npx", ["prisma", "generate"], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/false",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
process.exit(result.status ?? 1);
