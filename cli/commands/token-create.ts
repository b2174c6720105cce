import type { Command } from "../command";
import { UsageError } from "../command";
import { parseCliDuration } from "../flows/parse-duration";
import { reportingErrors } from "./support";

/** `30d`, `12h`, `90m`, `3600s`, or an ISO-8601 duration (`P30D`), in milliseconds. */
export function parseExpiry(text: string): number | undefined {
  const days = /^\s*(\d+)\s*d\s*$/i.exec(text);
  if (days) return Number(days[1]) * 86_400_000;
  const ms = parseCliDuration(text);
  return ms !== undefined && ms > 0 ? ms : undefined;
}

export const tokenCreate: Command = {
  path: ["token", "create"],
  summary:
    "Create an API token for a member of a tenant; prints the token alone on its last line (shown once)",
  usage: "--tenant SLUG --email EMAIL --name NAME [--expires 30d]",
  options: {
    tenant: { type: "string" },
    email: { type: "string" },
    name: { type: "string" },
    expires: { type: "string" },
  },
  optionHelp: {
    tenant: "tenant slug the token is valid in",
    email: "the member the token acts as",
    name: "a name to recognise the token by",
    expires: "lifetime: 30d, 12h, 90m or an ISO-8601 duration (default: no expiry)",
  },
  positionals: { max: 0 },
  run: (args, io) =>
    reportingErrors(io, "token create", async () => {
      const { tenant, email, name, expires } = args.values;
      if (typeof tenant !== "string" || typeof email !== "string" || typeof name !== "string")
        throw new UsageError("--tenant, --email and --name are required");
      const expiresInMs = typeof expires === "string" ? parseExpiry(expires) : undefined;
      if (typeof expires === "string" && expiresInMs === undefined)
        throw new UsageError(`--expires '${expires}' is not a duration (examples: 30d, 12h, P90D)`);
      const { env } = await import("../../server/env");
      const { openAdminDatabase } = await import("../../server/auth/cli-database");
      const { createPrismaClient } = await import("../../server/db/client");
      const { createUserToken } = await import("../../server/auth/bootstrap");
      const database = await openAdminDatabase({
        databaseUrl: env.DATABASE_URL,
        dataDir: env.CADENZA_DATA_DIR,
        onProgress: (message) => io.stderr(`${message}\n`),
      });
      const db = createPrismaClient(database.url);
      try {
        const created = await createUserToken(db, {
          tenantSlug: tenant,
          email,
          name,
          ...(expiresInMs !== undefined ? { expiresInMs } : {}),
        });
        io.stderr(
          `API token '${name}' for ${email} in tenant ${tenant}${created.expiresAt ? `, valid until ${created.expiresAt.toISOString()}` : ", without expiry"}. ` +
            "It is shown once; keep it in a secret store.\n",
        );
        io.stdout(`${created.token}\n`);
        return 0;
      } finally {
        await db.$disconnect();
        await database.stop();
      }
    }),
};
