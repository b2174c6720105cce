// deploy/compose.yaml cannot be run here (no Docker engine), so its Cadenza services' environment is
// checked against server/env.ts: every variable is one env.ts knows, the ones each command needs are
// set, and the whole environment (with `${VAR:?}` filled in as an operator would) passes validation.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { engineModeFrom } from "@/server/engine";
import { envSchema, parseEnv } from "@/server/env";
import { repoRoot } from "@/server/paths";

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number>;
}
const compose = parse(readFileSync(path.join(repoRoot, "deploy", "compose.yaml"), "utf8"), {
  merge: true,
}) as {
  services: Record<string, Service>;
};
const cadenzaServices = Object.entries(compose.services).filter(([, s]) => s.image === "cadenza:local");

/** What an operator sets before `docker compose up` (the `${VAR:?}` ones), as the guide says. */
const operator: Record<string, string> = {
  POSTGRES_PASSWORD: "0123456789abcdef",
  CADENZA_SECRET_KEY: Buffer.alloc(32, 7).toString("base64"),
  AUTH_SECRET: Buffer.alloc(32, 9).toString("base64"),
};

/** Compose's interpolation: ${VAR:?msg} needs the operator's value, ${VAR:-default} falls back. */
function interpolate(value: string): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?::([?-])([^}]*))?\}/g,
    (_match, name: string, kind?: string, rest = "") => {
      if (operator[name] !== undefined) return operator[name];
      if (kind === "?") throw new Error(`${name} is required by compose.yaml but the guide does not set it`);
      return kind === "-" ? rest : "";
    },
  );
}

/** Variables each command reads beyond env.ts's defaults (cli/commands/server-*.ts, migrate.ts). */
const REQUIRED: Record<string, string[]> = {
  migrate: ["DATABASE_URL"],
  "server web": ["DATABASE_URL", "AUTH_SECRET", "CADENZA_SECRET_KEY", "CADENZA_ENGINE", "TEMPORAL_ADDRESS"],
  "server temporal-worker": ["DATABASE_URL", "CADENZA_SECRET_KEY", "TEMPORAL_ADDRESS"],
};

describe("deploy/compose.yaml against server/env.ts", () => {
  it("has the Cadenza services: migrate, web and temporal-worker", () => {
    expect(cadenzaServices.map(([name, s]) => `${name}: ${s.command?.join(" ")}`).sort()).toEqual([
      "migrate: migrate",
      "temporal-worker: server temporal-worker",
      "web: server web",
    ]);
  });

  for (const [name, service] of cadenzaServices) {
    it(`${name}: every variable is known to env.ts, the required ones are set, and it validates`, () => {
      const raw = service.environment ?? {};
      const known = new Set(Object.keys(envSchema.shape));
      expect(Object.keys(raw).filter((key) => !known.has(key))).toEqual([]);
      const values = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, interpolate(String(v))]));
      for (const key of REQUIRED[service.command?.join(" ") ?? ""] ?? [])
        expect(values[key], key).toBeTruthy();
      const env = parseEnv(values);
      expect(env.CADENZA_ENGINE).toBe("temporal");
      expect(engineModeFrom(env)).toMatchObject({
        kind: "temporal",
        temporal: { address: "temporal:7233", namespace: "default" },
      });
    });
  }

  it("points every Cadenza process at the same database, Temporal and secret key", () => {
    const shared = [
      "DATABASE_URL",
      "TEMPORAL_ADDRESS",
      "TEMPORAL_NAMESPACE",
      "CADENZA_SECRET_KEY",
      "CADENZA_DATA_DIR",
      "CADENZA_STORAGE_SHARED",
    ];
    const seen = cadenzaServices.map(([, s]) => shared.map((key) => String(s.environment?.[key])));
    for (const row of seen) expect(row).toEqual(seen[0]);
  });
});
