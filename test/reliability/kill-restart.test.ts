// Proof under faults (issue 18), reduced to fit CI: webhooks at a steady rate against a standalone Cadenza
// (web + engine in one process, its embedded PostgreSQL in its own process group) while the whole process is
// SIGKILLed and restarted twice, then while its PostgreSQL is stopped for 10 s. Every webhook answered 200
// has exactly one execution, no execution is started twice, every execution ends by itself, and while the
// database is down calls fail cleanly (503, a JSON message, no stack trace) instead of 500.
// The long version with a higher rate is `npm run bench -- reliability` (bench/reliability.ts).
import { describe, expect, it } from "vitest";
import { type FaultReport, runFaults } from "./fault-run";

describe("webhooks under kill -9 and a PostgreSQL outage", () => {
  let report: FaultReport;

  it("runs the plan: 2 kills and a 10 s outage at 10 calls/s", async () => {
    report = await runFaults({
      rate: 10,
      segmentSeconds: 6,
      kills: 2,
      outageSeconds: 10,
      settleSeconds: 90,
      log: (line) => process.stderr.write(`reliability: ${line}\n`),
    });
    const outage = report.answers.filter((a) => a.duringOutage);
    // The figures the README quotes.
    process.stderr.write(
      `reliability: ${report.answers.length} calls, ${report.accepted} answered 200 ` +
        `(${report.acceptedPerSecond.toFixed(1)}/s over ${report.firingSeconds.toFixed(0)} s), ` +
        `${report.executions} executions; during the outage ${outage.filter((a) => a.status === 503).length} × 503, ` +
        `${outage.filter((a) => a.status === 200).length} × 200, ${outage.filter((a) => a.status === 0).length} unanswered\n`,
    );
    expect(report.faultsSurvived).toEqual({ kills: 2, outages: 1 });
    // Nothing but the test's own kill -9 ever stops it (its output: report.serverLog).
    expect(report.crashes).toEqual([]);
    expect(report.accepted).toBeGreaterThan(0);
  }, 480_000);

  it("gives every webhook answered 200 exactly one execution, and starts none twice", () => {
    const lost = [...report.executionsPerAccepted].filter(([, n]) => n !== 1);
    expect(lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
  });

  it("ends every execution: none stuck CREATED, QUEUED or RUNNING", () => {
    expect(report.notEnded).toEqual([]);
  });

  it("answers calls made while PostgreSQL is down with 503 and a clean message, never 500 or a stack", () => {
    const duringOutage = report.answers.filter((a) => a.duringOutage && a.status !== 0 && a.status !== 200);
    expect(duringOutage.length).toBeGreaterThan(0);
    for (const answer of duringOutage) {
      expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 503 });
      expect(JSON.parse(answer.body)).toEqual({ message: expect.any(String) });
      expect(answer.body).not.toMatch(/\n\s+at |\.ts:\d+|node_modules/);
    }
    // Nothing but 200, 503 and no answer at all (the process being down) anywhere in the run.
    const statuses = new Set(report.answers.map((a) => a.status));
    expect([...statuses].filter((s) => s !== 0 && s !== 200 && s !== 503)).toEqual([]);
  });
});
