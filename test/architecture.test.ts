import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Dependencies point one way: app -> server -> worker -> plugins -> engine, and engine/ does no I/O.
 * Checked on every source file (tests may reach across layers to set things up).
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const LAYERS = ["engine", "plugins", "worker", "server", "app"] as const;
type Layer = (typeof LAYERS)[number];

/** What each layer may import from the project: itself and the layers below it. */
const ALLOWED: Record<Layer, Layer[]> = {
  engine: ["engine"],
  plugins: ["plugins", "engine"],
  worker: ["worker", "plugins", "engine"],
  server: ["server", "worker", "plugins", "engine"],
  app: ["app", "server", "worker", "plugins", "engine"],
};

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "generated" || entry.name === "test") continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(full));
    else if (/\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** Source without comments (line structure kept), so a comment may name what the code must not use. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " ")).replace(/\/\/.*$/gm, "");
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s+["']([^"']+)["']/g))
    found.push(match[1] as string);
  for (const match of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) found.push(match[1] as string);
  return found;
}

function layerOfImport(file: string, specifier: string): Layer | "cli" | "other" | undefined {
  let target: string;
  if (specifier.startsWith("@/")) target = join(root, specifier.slice(2));
  else if (specifier.startsWith(".")) target = resolve(file, "..", specifier);
  else return undefined;
  const top = relative(root, target).split("/")[0] ?? "";
  if ((LAYERS as readonly string[]).includes(top)) return top as Layer;
  return top === "cli" ? "cli" : "other";
}

describe("architecture", () => {
  for (const layer of LAYERS) {
    it(`${layer}/ imports only from ${ALLOWED[layer].join(", ")}`, () => {
      const violations: string[] = [];
      for (const file of sources(join(root, layer))) {
        for (const specifier of importsOf(file)) {
          const target = layerOfImport(file, specifier);
          if (target && target !== "other" && !ALLOWED[layer].includes(target as Layer)) {
            violations.push(`${relative(root, file)} imports ${specifier}`);
          }
        }
      }
      expect(violations).toEqual([]);
    });
  }

  it("engine/ does no I/O: no Node built-ins, no process, no Buffer", () => {
    const violations: string[] = [];
    for (const file of sources(join(root, "engine"))) {
      const text = readFileSync(file, "utf8");
      for (const specifier of importsOf(file)) {
        if (
          specifier.startsWith("node:") ||
          ["fs", "path", "os", "child_process", "http", "https", "net", "crypto"].includes(specifier)
        ) {
          violations.push(`${relative(root, file)} imports ${specifier}`);
        }
      }
      if (/\bprocess\.|\bBuffer\.|\brequire\(/.test(text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ""))) {
        violations.push(`${relative(root, file)} uses process, Buffer or require`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("the internal storage of servers is built in server/storage.ts only", () => {
    // One construction point: web and engine get the storage CADENZA_STORAGE names, never a stray local
    // directory that another machine cannot see. (worker/storage's own factory, and the memory engine's
    // in-memory default for `cadenza flow run --engine memory`, are the exceptions.)
    const allowed = new Set([
      "server/storage.ts",
      "worker/storage/index.ts",
      "worker/memory/memory-engine.ts",
    ]);
    const violations: string[] = [];
    for (const layer of ["server", "worker", "plugins", "app", "cli"]) {
      for (const file of sources(join(root, layer))) {
        const name = relative(root, file);
        if (allowed.has(name) || name.includes("/test/")) continue;
        const text = readFileSync(file, "utf8").replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "");
        if (/\bnew (LocalStorage|S3Storage|MemoryStorage)\(|\bcreateStorage\(/.test(text))
          violations.push(`${name} builds an internal storage`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("engine/ takes time and randomness only from its caller: no clock or random fallback", () => {
    // step() is replayed inside a Temporal workflow and must give the same result each time: the clock and
    // the random numbers come from StepEnv / RenderOptions, which every driver fills in.
    const forbidden: [RegExp, string][] = [
      [/\bMath\.random\b/, "Math.random"],
      [/\bDate\.now\b/, "Date.now"],
      [/\bnew\s+Date\s*\(\s*\)/, "new Date()"],
      [/\bperformance\.now\b/, "performance.now"],
      [/\b(?:randomUUID|getRandomValues)\b/, "crypto randomness"],
    ];
    expect(clockOrRandomUses(sources(join(root, "engine")))).toEqual([]);

    function clockOrRandomUses(files: string[]): string[] {
      const violations: string[] = [];
      for (const file of files) {
        const lines = stripComments(readFileSync(file, "utf8")).split("\n");
        lines.forEach((line, i) => {
          for (const [pattern, name] of forbidden)
            if (pattern.test(line)) violations.push(`${relative(root, file)}:${i + 1} uses ${name}`);
        });
      }
      return violations;
    }
  });

  it("the clock and randomness rule catches a fallback (the scan is not vacuous)", () => {
    const sample = "const random = options.random ?? Math.random; // Math.random in a comment is fine";
    expect(/\bMath\.random\b/.test(stripComments(sample))).toBe(true);
    expect(/\bnew\s+Date\s*\(\s*\)/.test(stripComments("now ?? (() => new Date())"))).toBe(true);
    expect(stripComments("/** Default: new Date() */ x")).not.toMatch(/new Date/);
  });

  it("server/ services write through the tenant-scoped client only, never through the engine's pool", () => {
    // One data path: a service's change and its audit entry commit in one transaction of the tenant-scoped
    // client (TenantDb.$transaction, whose $sql serves the engine's SQL stores). The engine's pool
    // (`engine.ctx.pool`) is for reads; a write there would bypass that transaction and its audit.
    const write = /\b(?:insert\s+into|update\s+\w+\s+set|delete\s+from)\b|\bwithTransaction\(|writeAuditSql/i;
    const violations: string[] = [];
    for (const dir of ["server/services", "server/api", "server/rest", "server/audit"])
      for (const file of sources(join(root, dir))) {
        const text = stripComments(readFileSync(file, "utf8"));
        if (/\bwithTransaction\(|writeAuditSql/.test(text))
          violations.push(`${relative(root, file)} opens its own transaction or audit writer`);
        else if (/\.ctx\.pool\b/.test(text) && write.test(text))
          violations.push(`${relative(root, file)} reaches the engine's pool and writes SQL`);
      }
    expect(violations).toEqual([]);
  });

  /** What the files under `dir` reach, followed through relative and `@/` imports, that `refuse` names. */
  function reachedViolations(
    dir: string,
    refuse: (specifier: string, target?: string) => string | undefined,
  ) {
    const violations: string[] = [];
    const seen = new Set<string>();
    const resolveFile = (base: string) =>
      [`${base}.ts`, `${base}.tsx`, join(base, "index.ts")].find((candidate) => {
        try {
          readFileSync(candidate);
          return true;
        } catch {
          return false;
        }
      });
    const visit = (file: string, from: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of importsOf(file)) {
        let target: string | undefined;
        if (specifier.startsWith("@/")) target = resolveFile(join(root, specifier.slice(2)));
        else if (specifier.startsWith(".")) target = resolveFile(resolve(file, "..", specifier));
        const why = refuse(specifier, target && relative(root, target));
        if (why) violations.push(`${relative(root, file)} (from ${from}) ${why}`);
        else if (target) visit(target, from);
      }
    };
    for (const file of sources(join(root, dir))) visit(file, relative(root, file));
    return violations;
  }

  const nodeBuiltIn = (specifier: string) =>
    specifier.startsWith("node:") ||
    ["fs", "path", "os", "child_process", "crypto", "net", "http", "https"].includes(specifier);

  it("worker/core/ (the driver core) reaches no Node built-in and no driver, even through what it imports", () => {
    // A Temporal workflow may run the core's functions in its sandbox: no I/O of its own, no driver's code.
    const violations = reachedViolations("worker/core", (specifier, target) => {
      if (nodeBuiltIn(specifier)) return `imports ${specifier}`;
      if (target && /^worker\/(embedded|memory|temporal)\//.test(target))
        return `imports the driver ${target}`;
      return undefined;
    });
    expect(violations).toEqual([]);
  });

  it.each(["worker/temporal/workflows", "worker/temporal/schedules/workflows"])(
    "%s/ reaches no Node built-in, database, server or activity code",
    (dir) => {
      // Workflow code replays deterministically in Temporal's sandbox: I/O belongs in activities. The bundler
      // refuses some of this at run time; this rule says so at test time, naming the import.
      const violations = reachedViolations(dir, (specifier, target) => {
        if (nodeBuiltIn(specifier)) return `imports ${specifier}`;
        if (/^(@prisma\/|pg$|@temporalio\/(client|worker|activity|testing))/.test(specifier))
          return `imports ${specifier}`;
        if (
          target &&
          /^(server|app|cli)\/|^worker\/(embedded|memory)\/|^worker\/temporal\/(schedules\/)?activities(\/(?!types\.ts$)|\.ts$)/.test(
            target,
          )
        )
          return `imports ${target}`;
        return undefined;
      });
      expect(violations).toEqual([]);
    },
  );

  it("every REST route and tRPC procedure is made from the operation table (server/operations)", async () => {
    // A route or procedure written by hand declares its input apart and must remember its own check; one
    // made from an operation is validated, authorized and run by the one adapter. OUTSIDE_THE_TABLE names
    // the few that have no tenant principal to authorize, each with why; it may only shrink.
    const { proceduresOutsideTable, routesOutsideTable } = await import("./operation-table");
    const routes = routesOutsideTable();
    const procedures = proceduresOutsideTable();
    expect(routes.filter((route) => !OUTSIDE_THE_TABLE.routes.includes(route))).toEqual([]);
    expect(procedures.filter((path) => !OUTSIDE_THE_TABLE.procedures.includes(path))).toEqual([]);
    // Converted since: take it off the list, so that the list stays the truth.
    expect(OUTSIDE_THE_TABLE.routes.filter((route) => !routes.includes(route))).toEqual([]);
    expect(OUTSIDE_THE_TABLE.procedures.filter((path) => !procedures.includes(path))).toEqual([]);
  }, 120_000);

  it("services leave authorization to the adapter, but for the checks listed in FINER_CHECKS", () => {
    // The adapter authorizes every operation on its declared rule before the service runs, so the table is
    // the truth (and the RBAC test proves it). A service checks again only what that rule cannot know:
    // an action decided by what exists, a namespace read from data, or a call made once per item of a bulk.
    const found = new Set<string>();
    for (const file of sources(join(root, "server", "services"))) {
      if (file.endsWith(".test.ts")) continue;
      let fn = "";
      stripComments(readFileSync(file, "utf8"))
        .split("\n")
        .forEach((line) => {
          const declared = /^(?:export )?(?:async )?function (\w+)/.exec(line)?.[1];
          if (declared) fn = declared;
          else if (/(?<![\w.])check\(scope/.test(line)) found.add(`${relative(root, file)} ${fn}`);
        });
    }
    expect([...found].filter((site) => !(site in FINER_CHECKS))).toEqual([]);
    expect(Object.keys(FINER_CHECKS).filter((site) => !found.has(site))).toEqual([]);
  });

  it("no REST route documents a parameter its operation's input drops", async () => {
    // A route's own query schema (for OpenAPI) beside its operation's input: a filter added to one and not
    // the other is served and ignored (found: `kind` on the executions search).
    const { routeParametersDropped } = await import("./operation-table");
    expect(routeParametersDropped()).toEqual([]);
  }, 120_000);

  it("no REST route writes by hand a path or query field its operation's input defines", async () => {
    // The route's params and query are derived from the operation's input (server/rest/wire.ts): a field
    // written again beside it drifts (found: the REST `revision` took numbers past PostgreSQL's int4 after
    // the input was bounded). A field whose wire form differs is a named override, with why.
    const { routeFieldsWrittenTwice, routesWithoutWire } = await import("./operation-table");
    expect(routeFieldsWrittenTwice()).toEqual([]);
    expect(routesWithoutWire()).toEqual([]);
  }, 120_000);
});

/**
 * Routes and procedures that stay outside the operation table, because an operation is something a tenant's
 * principal does under its bindings (the adapter authorizes it on the tenant's grants), and these have no
 * such principal or no tenant. Nothing else may be added here; the list only shrinks.
 */
const OUTSIDE_THE_TABLE = {
  routes: [
    // Webhook triggers: the caller is anonymous and the key in the path is the credential, compared by the
    // trigger's own service (a mismatch is the same 404 as a missing flow); there is no principal to bind.
    "GET /executions/webhook/{namespace}/{flowId}/{key}",
    "POST /executions/webhook/{namespace}/{flowId}/{key}",
    "PUT /executions/webhook/{namespace}/{flowId}/{key}",
  ],
  procedures: [
    // The signed-in person outside any tenant: who they are and their tenants, a new tenant of their own
    // (no tenant yet to hold a binding), and invitations, which the token itself authorizes (`invitation`
    // is public: the preview before signing in).
    "account.me",
    "account.createTenant",
    "account.invitation",
    "account.acceptInvitation",
    // Plugin documentation: the same static text for every signed-in principal, in no tenant.
    "console.plugins",
    "console.pluginDoc",
    // A person's own preferences: theirs in every tenant, kept on the user, refused to service accounts.
    "preferences.get",
    "preferences.update",
  ],
};

/** The service checks the operation's rule cannot make, by `file function`, each with why. */
const FINER_CHECKS: Record<string, string> = {
  "server/services/api-tokens.ts listTokens":
    "another principal's tokens (`all`) need APITOKEN:READ; one's own, nothing",
  "server/services/api-tokens.ts revokeToken":
    "revoking another principal's token needs APITOKEN:DELETE; one's own, nothing",
  "server/services/kv.ts setKv": "CREATE or UPDATE: known once the key has been read",
  "server/services/kv.ts listKv": "also listed by the editor context, an `authenticated` operation",
  "server/services/flows.ts validateFlows": "each YAML document names its own namespace",
  "server/services/flows.ts getFlow": "also read by expression rendering, for the flow its body names",
  "server/services/flows.ts deleteFlow": "also called by the bulk delete and the Flow tasks, per flow",
  "server/services/flows-bulk.ts rowsByIds": "a bulk call names flows of several namespaces",
  "server/services/flows-bulk.ts importFlows":
    "each imported flow: its own namespace, CREATE or UPDATE by what exists",
  "server/services/expression-render.ts contextOf": "the flow the body names, in its namespace",
  "server/services/executions.ts readExecution":
    "shared by the file, expression and stream services; a stream re-checks with a fresh scope each tick",
  "server/services/executions.ts operateExecution":
    "the bulk actions call it per execution, of any namespace",
  "server/services/executions.ts replayExecution": "the bulk actions call it per execution, of any namespace",
  "server/services/executions.ts deleteExecution": "the bulk actions call it per execution, of any namespace",
  "server/services/execution-labels.ts setExecutionLabels":
    "the bulk actions call it per execution, of any namespace",
  "server/services/execution-actions.ts found": "the bulk actions call it per execution, of any namespace",
};
