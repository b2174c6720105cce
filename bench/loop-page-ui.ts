/**
 * First paints of a big nested Loop's execution page in Debian's Chromium, against the real server on the
 * data `npm run bench:loop` kept (not a timed test; the executions issue's goal is 1 s per first paint):
 *
 *   BENCH_DATA_DIR=/tmp/cadenza-bench-loop BENCH_LOOP_LINES=1000 BENCH_LOOP_READ_LINES=10000 npm run bench:loop
 *   BENCH_DATA_DIR=/tmp/cadenza-bench-loop BENCH_LOOP_LINES=1000 BENCH_LOOP_READ_LINES=10000 npx tsx bench/loop-page-ui.ts
 *
 * The same variables find the same database (`cadenza_bench_loop_<lines>` on the embedded PostgreSQL of
 * BENCH_DATA_DIR) and the same execution: the run's own, or its copy of BENCH_LOOP_READ_LINES outer
 * iterations (bench/loop-nested.ts replicateIterations). It runs `cadenza start` with DATABASE_URL on that
 * database, then measures the loop's Overview, Topology, Gantt and Logs tabs, the list of its iterations
 * (`/executions?parentId=…&kind=LOOP`), and the middle iteration's page, median of BENCH_RUNS (default 5)
 * after a warm-up; screenshots of each go to test-results/bench/.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { openDatabase } from "@/server/runtime/database";
import {
  BENCH_EMAIL,
  BENCH_PASSWORD,
  launchChromium,
  medianFirstPaint,
  type PaintResult,
  printPaints,
  signInOnce,
  withServer,
} from "./execution-page-ui";

interface Target {
  name: string;
  path: string;
  selector: string;
}

async function findExecutions(url: string, lines: number, readLines: number, figuresFile: string) {
  if (!existsSync(figuresFile))
    throw new Error(
      `No Loop run in ${figuresFile}: run \`npm run bench:loop\` with the same BENCH_DATA_DIR and BENCH_LOOP_LINES first.`,
    );
  const run = JSON.parse(readFileSync(figuresFile, "utf8")) as { executionId: string };
  const loop = readLines > lines ? `${run.executionId}-x${readLines}` : run.executionId;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const found = await client.query("select 1 from executions where id = $1", [loop]);
    if (found.rowCount === 0)
      throw new Error(
        `Execution ${loop} is not in the database: run \`npm run bench:loop\` with BENCH_LOOP_READ_LINES=${readLines} first.`,
      );
    const middle = Math.floor(readLines / 2);
    const iteration = (
      await client.query<{ id: string }>(
        `select id from executions where parent_id = $1 and kind = 'LOOP'
           and coalesce((parent_link->>'iteration')::int, (document->'loopRun'->>'index')::int) = $2`,
        [loop, middle],
      )
    ).rows[0]?.id;
    const iterations = (
      await client.query<{ n: string }>(
        "select count(*) as n from executions where parent_id = $1 and kind = 'LOOP'",
        [loop],
      )
    ).rows[0]?.n;
    return { loop, iteration, middle, iterations: Number(iterations) };
  } finally {
    await client.end();
  }
}

export async function runLoopPageUiBench(options: {
  dataDir: string;
  lines: number;
  readLines: number;
  runs: number;
  port: number;
}): Promise<PaintResult[]> {
  const database = await openDatabase({ databaseUrl: undefined, dataDir: options.dataDir });
  try {
    const url = new URL(database.url);
    url.pathname = `/cadenza_bench_loop_${options.lines}`;
    const found = await findExecutions(
      url.toString(),
      options.lines,
      options.readLines,
      join(options.dataDir, `loop-${options.lines}.json`),
    );
    console.log(
      `Loop execution ${found.loop}: ${found.iterations.toLocaleString("en")} outer iterations; middle iteration ${found.iteration ?? "(none)"}.`,
    );
    const count = found.iterations.toLocaleString("en");
    const targets: Target[] = [
      {
        name: `Loop, Overview (${count} iterations)`,
        path: `/executions/${found.loop}/overview`,
        selector: "table[aria-label='Task runs'] tbody tr",
      },
      {
        name: `Loop, Topology (${count} iterations)`,
        path: `/executions/${found.loop}/topology`,
        selector: "[data-testid=execution-topology] [data-task-id][data-state]",
      },
      {
        name: `Loop, Gantt (${count} iterations)`,
        path: `/executions/${found.loop}/gantt`,
        selector: "[data-testid=gantt] [data-bar]",
      },
      // The loop's tasks log in its iterations: its own Logs tab paints its empty state.
      {
        name: "Loop, Logs",
        path: `/executions/${found.loop}/logs`,
        selector: "[role=log] [data-level], [data-testid=no-logs]",
      },
      {
        name: `Loop's iterations in the executions list, first page (of ${count})`,
        path: `/executions?parentId=${encodeURIComponent(found.loop)}&kind=LOOP&range=all`,
        selector: "table[aria-label=Executions] tbody tr",
      },
      ...(found.iteration
        ? [
            {
              name: `iteration ${found.middle}, Overview`,
              path: `/executions/${found.iteration}/overview`,
              selector: "table[aria-label='Task runs'] tbody tr",
            },
            {
              name: `iteration ${found.middle}, Topology`,
              path: `/executions/${found.iteration}/topology`,
              selector: "[data-testid=execution-topology] [data-task-id][data-state]",
            },
          ]
        : []),
    ];
    return await withServer(
      options.dataDir,
      options.port,
      async (base) => {
        const browser = await launchChromium();
        const signIn = signInOnce(base, BENCH_EMAIL, BENCH_PASSWORD);
        const results: PaintResult[] = [];
        try {
          for (const target of targets)
            results.push(
              await medianFirstPaint(
                browser,
                signIn,
                target.name,
                `${base}${target.path}`,
                target.selector,
                options.runs,
              ),
            );
          // What the pages look like, to be looked at after a run.
          mkdirSync("test-results/bench", { recursive: true });
          const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
          const page = await context.newPage();
          await signIn(page);
          for (const [i, target] of targets.entries()) {
            await page.goto(`${base}${target.path}`);
            await page.locator(target.selector).first().waitFor({ timeout: 60_000 });
            await page.waitForTimeout(1000);
            await page.screenshot({ path: `test-results/bench/loop-page-${i + 1}.png` });
          }
          await context.close();
        } finally {
          await browser.close();
        }
        return results;
      },
      { DATABASE_URL: url.toString() },
    );
  } finally {
    await database.stop();
  }
}

const results = await runLoopPageUiBench({
  dataDir: process.env.BENCH_DATA_DIR ?? "/tmp/cadenza-bench-loop",
  lines: Number(process.env.BENCH_LOOP_LINES ?? 10_000),
  readLines: Number(process.env.BENCH_LOOP_READ_LINES ?? process.env.BENCH_LOOP_LINES ?? 10_000),
  runs: Number(process.env.BENCH_RUNS ?? 5),
  port: Number(process.env.BENCH_PORT ?? 3112),
});
printPaints(results);
process.exit(0);
