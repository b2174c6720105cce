/**
 * Restate's bench app (bench/peers/protocol.ts): starts restate-server (npm's @restatedev/restate-server,
 * its storage in a temporary directory, random ports), serves the bench service with the TypeScript SDK,
 * registers it, and drives it through Restate's own HTTP ingress, which is also workload 3's entry. Each
 * step is `ctx.run` (one journal entry, acknowledged by the server before the next); a step's times are
 * taken by the handler (before ctx.run) and the step's body, in this process. Needs bench/peers/node_modules
 * (`npm run bench -- peers` installs it).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import "./node20";
import * as restate from "@restatedev/restate-sdk";
import { burstOf, onParentGone, type StepTimes, serveApp, timed, timedResult } from "../protocol";

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const steps = async (ctx: restate.Context, n: number, times?: StepTimes[]) => {
  for (let i = 0; i < n; i++) {
    const created = Date.now();
    let started = 0;
    await ctx.run(`noop${i}`, async () => {
      started = Date.now();
      return `noop ${i}`;
    });
    times?.push({ created, started, ended: Date.now() });
  }
};
const bench = restate.service({
  name: "Bench",
  handlers: {
    chain: async (ctx: restate.Context, n: number) => {
      const times: StepTimes[] = [];
      await steps(ctx, n, times);
      return times;
    },
    three: async (ctx: restate.Context) => steps(ctx, 3),
    two: async (ctx: restate.Context) => {
      const message = await ctx.run("concatenate", async () => "Hello World");
      await ctx.run("hello", async () => message.length);
    },
    ifs: async (ctx: restate.Context) => {
      for (let i = 0; i < 5; i++) if (i < 10) await ctx.run(`if${i}`, async () => i);
    },
    loop: async (ctx: restate.Context) => steps(ctx, 100),
  },
});

const dir = mkdtempSync(join(tmpdir(), "cadenza-bench-restate-"));
const [ingressPort, adminPort, nodePort, servicePort] = [
  await freePort(),
  await freePort(),
  await freePort(),
  await freePort(),
];
const binary = fileURLToPath(new URL("../node_modules/.bin/restate-server", import.meta.url));
const server: ChildProcess = spawn(binary, ["--no-logo", "--base-dir", dir, "--listen-mode", "tcp"], {
  stdio: ["ignore", "ignore", "inherit"],
  env: {
    ...process.env,
    RESTATE_INGRESS__BIND_ADDRESS: `127.0.0.1:${ingressPort}`,
    RESTATE_ADMIN__BIND_ADDRESS: `127.0.0.1:${adminPort}`,
    RESTATE_BIND_ADDRESS: `127.0.0.1:${nodePort}`,
    RESTATE_ADVERTISED_ADDRESS: `http://127.0.0.1:${nodePort}`,
    RESTATE_LOG_FILTER: "warn",
    RESTATE_DISABLE_TELEMETRY: "true",
  },
});
const stopServer = async () => {
  if (server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  const timer = setTimeout(() => server.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
  rmSync(dir, { recursive: true, force: true });
};
process.on("exit", () => server.kill("SIGKILL"));
onParentGone(stopServer);

try {
  await restate.serve({ services: [bench], port: servicePort });
  const admin = `http://127.0.0.1:${adminPort}`;
  for (let tries = 0; ; tries++) {
    const health = await fetch(`${admin}/health`).catch(() => undefined);
    if (health?.ok) break;
    if (tries > 300 || server.exitCode !== null) throw new Error("restate-server did not start");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const registered = await fetch(`${admin}/deployments`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ uri: `http://127.0.0.1:${servicePort}` }),
  });
  if (!registered.ok) throw new Error(`registering the service: ${await registered.text()}`);
} catch (error) {
  await stopServer();
  throw error;
}
const ingress = `http://127.0.0.1:${ingressPort}/Bench`;
const call = async (handler: string, input?: unknown) => {
  for (let tries = 0; ; tries++) {
    const response = await fetch(`${ingress}/${handler}`, {
      method: "POST",
      // Restate retries a failing handler for ever: a broken app must fail the row, not hang it.
      signal: AbortSignal.timeout(120_000),
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input ?? null),
    });
    // Right after registration the ingress may not know the service yet.
    if (response.status === 404 && tries < 50) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    if (!response.ok) throw new Error(`Restate ${handler}: ${response.status} ${await response.text()}`);
    const text = await response.text();
    return text ? (JSON.parse(text) as unknown) : undefined;
  }
};
await call("ifs");

await serveApp(
  {
    async chain(n) {
      const { value, ms } = await timedResult(() => call("chain", n));
      return { steps: value as StepTimes[], ms };
    },
    three: () => timed(() => call("three")),
    burst: (count) => burstOf(count, () => call("three")),
    close: async () => {},
  },
  () => ({
    system: "Restate",
    ingress: { two: `${ingress}/two`, ifs: `${ingress}/ifs`, loop: `${ingress}/loop` },
  }),
);
