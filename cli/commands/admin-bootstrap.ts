import type { Command } from "../command";
import { UsageError } from "../command";
import { reportingErrors } from "./support";

export const adminBootstrap: Command = {
  path: ["admin", "bootstrap"],
  summary:
    "Make someone Admin of a tenant, creating the tenant and the user if missing (idempotent); for first runs and lost access",
  usage: "--tenant SLUG --email EMAIL [--password PASSWORD] [--reset-password]",
  options: {
    tenant: { type: "string" },
    email: { type: "string" },
    password: { type: "string" },
    "reset-password": { type: "boolean" },
  },
  optionHelp: {
    tenant: "tenant slug (created if missing), e.g. main",
    email: "the user's email (created if missing)",
    password: "password of a new user (at least 10 characters); an existing user keeps theirs",
    "reset-password": "replace an existing user's password with --password",
  },
  positionals: { max: 0 },
  run: (args, io) =>
    reportingErrors(io, "admin bootstrap", async () => {
      const tenant = args.values.tenant;
      const email = args.values.email;
      const password = args.values.password;
      if (typeof tenant !== "string" || typeof email !== "string")
        throw new UsageError("--tenant and --email are required");
      if (args.values["reset-password"] && typeof password !== "string")
        throw new UsageError("--reset-password needs --password");
      const { env } = await import("../../server/env");
      const { openAdminDatabase } = await import("../../server/auth/cli-database");
      const { createPrismaClient } = await import("../../server/db/client");
      const { bootstrapAdmin } = await import("../../server/auth/bootstrap");
      const database = await openAdminDatabase({
        databaseUrl: env.DATABASE_URL,
        dataDir: env.CADENZA_DATA_DIR,
        onProgress: (message) => io.stderr(`${message}\n`),
      });
      const db = createPrismaClient(database.url);
      try {
        const result = await bootstrapAdmin(db, {
          tenantSlug: tenant,
          email,
          ...(typeof password === "string" ? { password } : {}),
          resetPassword: args.values["reset-password"] === true,
        });
        io.stdout(
          [
            `Tenant ${tenant}: ${result.tenantCreated ? "created" : "exists"}.`,
            `User ${email.trim().toLowerCase()}: ${result.userCreated ? "created" : args.values["reset-password"] ? "exists, password replaced" : "exists"}.`,
            `Admin of ${tenant}: ${result.adminGranted ? "granted" : "already"}.`,
            "",
          ].join("\n"),
        );
        return 0;
      } finally {
        await db.$disconnect();
        await database.stop();
      }
    }),
};
