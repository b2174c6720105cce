// Prisma CLI configuration (Prisma 7 reads this instead of a url in schema.prisma).
// Cadenza's own code never uses it: migrations go through server/db/migrate.ts and queries
// through server/db/client.ts. It serves `prisma generate` (postinstall) and ad-hoc Prisma CLI
// use such as `npx prisma studio`. The placeholder URL keeps `npm install` working on a fresh
// clone, where DATABASE_URL is usually unset (Prisma's env() would throw). This file is read by
// the Prisma CLI outside the app, so it reads process.env directly rather than server/env.ts.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://placeholder@localhost:5432/placeholder",
  },
});
