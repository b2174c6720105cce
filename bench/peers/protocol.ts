/**
 * What every system's bench app (bench/peers/apps/*) answers, over HTTP on 127.0.0.1, so the harness
 * (bench/peers/index.ts) drives Cadenza and each peer the same way. Each app measures in its own process,
 * with its own client, so no harness hop is counted; only workload 3 goes through each system's ingress.
 * Node built-ins only: the peers' apps import this file from their own dependency folder.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/** One step's own record, epoch milliseconds: when it was scheduled, started, and ended. */
export interface StepTimes {
  created: number;
  started: number;
  ended: number;
}

export interface AppInfo {
  /** What ran, with versions: "Restate 1.7.12 (SDK 1.17.2)". */
  system: string;
  /** Workload 3's start URLs (POST; the answer comes when the run has ended), per Kestra flow. */
  ingress: { two: string; ifs: string; loop: string };
}

export interface AppHandlers {
  /** Workload 1: one run of `n` sequential trivial steps: each step's times, and start to result in ms. */
  chain(n: number): Promise<{ steps: StepTimes[]; ms: number }>;
  /** Workload 2: one run of 3 steps returning constants, start to result, in ms. */
  three(): Promise<number>;
  /** Workload 2: `count` runs started at once; ms until all have ended. */
  burst(count: number): Promise<number>;
  /** Extra routes (a peer's own ingress for workload 3), by path. */
  routes?: Record<string, () => Promise<unknown>>;
  close(): Promise<void>;
}

async function body(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of request) text += chunk;
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function reply(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(value ?? null));
}

/**
 * Serves `handlers` on a free port and prints `READY <json>` (the port and `info`) on stdout. The app ends
 * when its stdin closes: a harness that dies never leaves one running.
 */
export async function serveApp(handlers: AppHandlers, info: (base: string) => AppInfo): Promise<void> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://app").pathname;
    const run = async () => {
      const input = await body(request);
      if (path === "/chain") return await handlers.chain(Number(input.n ?? 40));
      if (path === "/three") return { ms: await handlers.three() };
      if (path === "/burst") return { ms: await handlers.burst(Number(input.count ?? 200)) };
      const route = handlers.routes?.[path];
      if (route) return await route();
      throw new Error(`no route ${path}`);
    };
    run().then(
      (value) => reply(response, 200, value),
      (error: unknown) => reply(response, 500, { message: String((error as Error)?.message ?? error) }),
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const base = `http://127.0.0.1:${port}`;
  onParentGone(async () => {
    server.closeAllConnections();
    server.close();
    await handlers.close();
  });
  process.stdout.write(`READY ${JSON.stringify({ base, ...info(base) })}\n`);
}

let cleanups: (() => Promise<void>)[] = [];
let closing = false;

/**
 * Runs `cleanup` (the latest first) and exits when the harness closes our stdin, or dies: an app never
 * outlives it, nor leaves a server of its own running. Apps call it first thing, for what they start.
 */
export function onParentGone(cleanup: () => Promise<void>): void {
  if (cleanups.length === 0) {
    const close = async () => {
      if (closing) return;
      closing = true;
      for (const run of cleanups) await run().catch(() => undefined);
      process.exit(0);
    };
    process.stdin.on("end", close);
    process.stdin.on("close", close);
    process.stdin.resume();
    process.on("SIGTERM", close);
  }
  cleanups = [cleanup, ...cleanups];
}

/** Runs `count` calls of `once` at the same moment; ms until the last has ended. */
export async function burstOf(count: number, once: () => Promise<unknown>): Promise<number> {
  const begin = performance.now();
  await Promise.all(Array.from({ length: count }, once));
  return performance.now() - begin;
}

export async function timed(run: () => Promise<unknown>): Promise<number> {
  return (await timedResult(run)).ms;
}

export async function timedResult<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const begin = performance.now();
  const value = await run();
  return { value, ms: performance.now() - begin };
}

/** Kestra's benchmark flows as the peers' equivalents run them: how many steps each flow has. */
export const KESTRA_FLOWS = {
  /** OutputValues + Log. */
  two: 2,
  /** 5 If tasks, each running one Log (10 task runs in Kestra; 5 steps where the `if` is code). */
  ifs: 5,
  /** A 100-iteration loop of one Log. */
  loop: 100,
} as const;
