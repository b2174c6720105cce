// The services reach the database only through a ServiceScope, whose client sees one tenant
// (server/access/tenant-db.ts). This keeps it that way: a service file that imports the Prisma client
// itself must be on the list below, with the reason it works on global rows.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

const GLOBAL_ON_PURPOSE: Record<string, string> = {
  "server/services/account.ts": "sign-up, tenants of a user, invitations: users and tenants are global rows",
  "server/services/preferences.ts": "a person's own settings, on the user row: the same in every tenant",
  "server/services/scope.ts": "builds the scoped client from the process's client",
  "server/services/engine-client.ts": "opens the engine (its own pool); no queries",
  "server/services/webhooks.ts":
    "no principal: rate limits (global rows), then a scoped client for the audit entry",
  "server/services/service-instances.ts": "process heartbeats, not tenant data",
  "server/services/flow-task-service.ts":
    "no principal (a task of the tenant's execution): wraps the client in forTenant at once",
  "server/rest/handler.ts": "resolves the principal and its tenant (global lookups), then builds the scope",
  "server/rest/route.ts": "types only: the webhook handlers' context",
  "server/rest/serve.ts": "wires the process's client into the handler",
};

function files(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(join(dir, entry.name))
      : /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

describe("tenant scoping of the services", () => {
  it("gives no service the unscoped Prisma client unless it says why", () => {
    const offenders: string[] = [];
    for (const file of [
      ...files("server/services"),
      ...files("server/secrets"),
      ...files("server/audit"),
      ...files("server/rest"),
      ...files("server/api/routers"),
    ]) {
      const text = readFileSync(join(root, file), "utf8");
      const usesClient = /from\s+["'][./@\w-]*db\/client["']|\bgetDb\(|\$queryRaw|\$executeRaw/.test(text);
      if (usesClient && !(relative(root, join(root, file)) in GLOBAL_ON_PURPOSE)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
