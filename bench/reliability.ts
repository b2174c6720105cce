/**
 * Proof under load and faults, the long version of test/reliability/kill-restart.test.ts:
 * `npm run bench -- reliability` (or `npx tsx bench/reliability.ts`). Webhooks at BENCH_RELIABILITY_RATE
 * calls/s (default 40) against a standalone Cadenza (web + engine in one process, its embedded PostgreSQL)
 * for BENCH_RELIABILITY_SEGMENT seconds (default 30) between faults: the whole process group SIGKILLed and
 * restarted BENCH_RELIABILITY_KILLS times (default 2), then PostgreSQL stopped (immediate shutdown) for
 * BENCH_RELIABILITY_OUTAGE seconds (default 10). Prints calls held per second, faults survived, lost
 * (webhooks answered 200 without exactly one execution), duplicated and unfinished executions, and what was
 * answered while the database was down; exits 1 if anything was lost, duplicated or left unfinished.
 * Results also go to bench/results/reliability-<date>.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { runFaults } from "@/test/reliability/fault-run";

export async function runReliabilityBench() {
  const plan = {
    rate: Number(process.env.BENCH_RELIABILITY_RATE ?? 40),
    segmentSeconds: Number(process.env.BENCH_RELIABILITY_SEGMENT ?? 30),
    kills: Number(process.env.BENCH_RELIABILITY_KILLS ?? 2),
    outageSeconds: Number(process.env.BENCH_RELIABILITY_OUTAGE ?? 10),
    settleSeconds: 180,
    log: (line: string) => console.log(`  ${new Date().toISOString().slice(11, 19)} ${line}`),
  };
  console.log(
    `Webhooks at ${plan.rate}/s, ${plan.segmentSeconds} s between faults: ${plan.kills} × kill -9 and restart, ` +
      `then PostgreSQL down ${plan.outageSeconds} s`,
  );
  const report = await runFaults(plan);
  const byStatus: Record<string, number> = {};
  for (const answer of report.answers) {
    const key = answer.status === 0 ? "no answer (process down)" : String(answer.status);
    byStatus[key] = (byStatus[key] ?? 0) + 1;
  }
  const outage: Record<string, number> = {};
  for (const answer of report.answers.filter((a) => a.duringOutage)) {
    const key = answer.status === 0 ? "no answer" : String(answer.status);
    outage[key] = (outage[key] ?? 0) + 1;
  }
  const lost = [...report.executionsPerAccepted.values()].filter((n) => n !== 1).length;
  const summary = {
    plan: { ...plan, log: undefined },
    callsMade: report.answers.length,
    accepted: report.accepted,
    acceptedPerSecond: Number(report.acceptedPerSecond.toFixed(1)),
    firingSeconds: Number(report.firingSeconds.toFixed(1)),
    faultsSurvived: report.faultsSurvived,
    lost,
    duplicated: report.duplicated.length,
    executions: report.executions,
    notEnded: report.notEnded.length,
    crashes: report.crashes.length,
    answers: byStatus,
    answersDuringOutage: outage,
  };
  console.table([
    {
      "calls made": summary.callsMade,
      "answered 200": summary.accepted,
      "200/s held": summary.acceptedPerSecond,
      "kills survived": summary.faultsSurvived.kills,
      "outages survived": summary.faultsSurvived.outages,
      lost,
      duplicated: summary.duplicated,
      "not ended": summary.notEnded,
    },
  ]);
  console.log("answers:", byStatus, "during the outage:", outage);
  if (report.diagnosis) console.log(report.diagnosis);
  for (const crash of report.crashes) console.log(`the process died by itself: ${crash}`);
  console.log(`server output: ${report.serverLog}`);
  return summary;
}

/** Runs the bench, writes bench/results/reliability-<date>.json, and returns the exit status. */
export async function reliabilityBenchMain(): Promise<number> {
  const summary = await runReliabilityBench();
  mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
  const file = new URL(
    `./results/reliability-${new Date().toISOString().slice(0, 19).replace(/:/g, "-")}.json`,
    import.meta.url,
  );
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`written to ${file.pathname}`);
  return summary.lost + summary.duplicated + summary.notEnded + summary.crashes > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(await reliabilityBenchMain());
