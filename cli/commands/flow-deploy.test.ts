// `cadenza flow deploy` against a running server (the REST handler behind a real HTTP listener): the plan,
// creates, updates, unchanged flows, --delete-missing, and invalid files refused before anything changes.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handleRest } from "@/server/rest/handler";
import { router } from "@/server/rest/routes";
import { setUpApi } from "@/test/api/harness";

const api = setUpApi();
let server: http.Server;
let url = "";

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const body =
      req.method === "GET" || req.method === "HEAD" ? undefined : (Readable.toWeb(req) as ReadableStream);
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body,
      duplex: "half",
    } as RequestInit);
    const response = await handleRest(request, {
      db: api.database.db,
      engine: async () => api.engine,
      session: async () => null,
      router,
    });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function deploy(dir: string, token: string, ...flags: string[]) {
  vi.stubEnv("CADENZA_TOKEN", token);
  vi.resetModules(); // re-read the environment
  const { main } = await import("@/cli/main");
  let stdout = "";
  let stderr = "";
  try {
    const code = await main(["flow", "deploy", dir, "--server", url, "--tenant", "gitops", ...flags], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    });
    return { code, stdout, stderr };
  } finally {
    vi.unstubAllEnvs();
  }
}

const flow = (id: string, message = "hi") => `id: ${id}
namespace: git.ops
tasks:
  - id: t
    type: core.log.Log
    message: ${message}
`;

describe("cadenza flow deploy", () => {
  it("creates, updates and deletes flows to match a directory, after showing the plan", async () => {
    const { token } = await api.admin("gitops", "ci@gitops.test");
    const dir = mkdtempSync(join(tmpdir(), "cadenza-gitops-"));
    try {
      writeFileSync(join(dir, "a.yaml"), flow("a"));
      writeFileSync(join(dir, "b.yml"), flow("b"));
      writeFileSync(join(dir, "notes.txt"), "not a flow");

      const plan = await deploy(dir, token, "--dry-run");
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain("+ create    git.ops.a");
      expect(plan.stdout).toContain(
        "Plan: 2 to create, 0 to update, 0 to delete, 0 unchanged. (dry run: nothing changed)",
      );
      expect((await api.call("GET", "gitops/flows/search", { token })).json).toMatchObject({ total: 0 });

      const first = await deploy(dir, token);
      expect(first.code).toBe(0);
      expect(first.stdout).toContain("2 to create");

      writeFileSync(join(dir, "a.yaml"), flow("a", "changed"));
      rmSync(join(dir, "b.yml"));
      writeFileSync(join(dir, "c.yaml"), flow("c"));
      const second = await deploy(dir, token, "--delete-missing");
      expect(second.code).toBe(0);
      expect(second.stdout).toContain("~ update    git.ops.a  revision 1 -> 2");
      expect(second.stdout).toContain("+ create    git.ops.c");
      expect(second.stdout).toContain("- delete    git.ops.b");
      const flows = (await api.call("GET", "gitops/flows/search", { token })).json as {
        results: { id: string; revision: number }[];
      };
      expect(flows.results.map((f) => [f.id, f.revision])).toEqual([
        ["a", 2],
        ["c", 1],
      ]);

      const third = await deploy(dir, token);
      expect(third.stdout).toContain("0 to create, 0 to update, 0 to delete, 2 unchanged");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("deploys nothing when one file is invalid, and says where (file:line:col)", async () => {
    const { token } = await api.admin("gitops", "ci@gitops.test");
    const dir = mkdtempSync(join(tmpdir(), "cadenza-gitops-"));
    try {
      writeFileSync(join(dir, "good.yaml"), flow("good"));
      writeFileSync(
        join(dir, "bad.yaml"),
        "id: bad\nnamespace: git.ops\ntasks:\n  - id: t\n    type: core.log.Nope\n",
      );
      const result = await deploy(dir, token);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        new RegExp(`${join(dir, "bad.yaml")}:5:\\d+ tasks\\[0\\]\\.type: unknown task type`),
      );
      expect(result.stderr).toContain("nothing was deployed");
      expect((await api.call("GET", "gitops/flows/git.ops/good", { token })).status).toBe(404);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("explains a refused token", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cadenza-gitops-"));
    try {
      writeFileSync(join(dir, "a.yaml"), flow("a"));
      const result = await deploy(dir, "cdz_0000000000000000000000000000000000000000000");
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("401");
      expect(result.stderr).toContain("check CADENZA_TOKEN");
      const missing = await deploy(dir, "");
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("set CADENZA_TOKEN");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
