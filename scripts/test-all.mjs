// `npm test`: every suite, always all of them (a failure in one does not skip the next), then one
// summary. The last line is exactly `N passed, N failed` over all suites; skipped tests are
// counted apart, never as passed. Exits non-zero if anything failed.
//
// Counts come from each runner's JSON report (written next to its usual console output). A runner
// that fails without reporting a failed test — a file that does not load, an unhandled error, a
// web server that does not start — counts as one failure, so a broken run can never read as green.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const reports = path.resolve("test-results", "reports");
mkdirSync(reports, { recursive: true });
const bin = (name) => path.resolve("node_modules", ".bin", name);

/** @type {{ name: string, passed: number, failed: number, skipped: number, note?: string }[]} */
const results = [];
/** Failed tests, named again above the summary: CI keeps only the end of a long output. */
const failures = [];
const firstLine = (text) =>
  String(text ?? "")
    .split("\n")
    .find((line) => line.trim()) ?? "";

function run(name, command, args, env, count) {
  const report = path.join(reports, `${name}.json`);
  rmSync(report, { force: true });
  process.stdout.write(`\n=== ${name} ===\n`);
  const startedAt = Date.now();
  const child = spawnSync(command, args(report), {
    stdio: "inherit",
    env: { ...process.env, ...env(report) },
  });
  const seconds = Math.round((Date.now() - startedAt) / 100) / 10;
  let counts = { passed: 0, failed: 0, skipped: 0 };
  let note;
  if (existsSync(report)) {
    try {
      counts = count(JSON.parse(readFileSync(report, "utf8")));
    } catch (error) {
      note = `unreadable report: ${error.message}`;
    }
  } else {
    note = "no report";
  }
  const exitCode = child.status ?? 1;
  if (exitCode !== 0 && counts.failed === 0) {
    counts.failed += 1;
    note ??= `exited with ${child.signal ?? exitCode} without a failed test: see its output above`;
  }
  results.push({ name, ...counts, seconds, note: note ?? counts.note });
}

run(
  "vitest",
  bin("vitest"),
  (report) => ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`],
  () => ({}),
  (json) => {
    // A file that failed to load or to run its hooks has status "failed" but may have no failed test.
    const brokenFiles = (json.testResults ?? []).filter(
      (file) => file.status === "failed" && !(file.assertionResults ?? []).some((t) => t.status === "failed"),
    ).length;
    for (const file of json.testResults ?? []) {
      const where = path.relative(process.cwd(), file.name ?? "");
      const failedTests = (file.assertionResults ?? []).filter((t) => t.status === "failed");
      for (const t of failedTests)
        failures.push(`vitest ${where} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
      if (file.status === "failed" && failedTests.length === 0)
        failures.push(`vitest ${where}: ${firstLine(file.message)}`);
    }
    return {
      passed: json.numPassedTests ?? 0,
      failed: (json.numFailedTests ?? 0) + brokenFiles,
      skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
    };
  },
);

run(
  "playwright",
  bin("playwright"),
  () => ["test", "--reporter=list,json"],
  (report) => ({ PLAYWRIGHT_JSON_OUTPUT_FILE: report, CI: "1" }),
  (json) => {
    const stats = json.stats ?? {};
    const visit = (suite, titles) => {
      for (const spec of suite.specs ?? []) {
        for (const test of spec.tests ?? []) {
          if (test.status !== "unexpected") continue;
          const error = test.results?.at(-1)?.error?.message;
          failures.push(
            `playwright [${test.projectName}] ${spec.file}:${spec.line} › ${[...titles, spec.title].join(" › ")}: ${firstLine(error)}`,
          );
        }
      }
      for (const child of suite.suites ?? []) visit(child, [...titles, child.title]);
    };
    for (const suite of json.suites ?? []) visit(suite, []);
    for (const error of json.errors ?? []) failures.push(`playwright: ${firstLine(error.message)}`);
    const unexpected = stats.unexpected ?? 0;
    return {
      passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
      ...(stats.flaky ? { note: `${stats.flaky} flaky: passed on their retry (see "flaky" above)` } : {}),
      // Errors outside tests (global setup, web server) fail the run without failing a test.
      failed: unexpected + (unexpected === 0 ? (json.errors ?? []).length : 0),
      skipped: stats.skipped ?? 0,
    };
  },
);

process.stdout.write("\n");
if (failures.length > 0) {
  process.stdout.write("Failed:\n");
  for (const failure of failures) process.stdout.write(`  ${failure.slice(0, 400)}\n`);
}
for (const r of results) {
  const line = `${r.name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped (${r.seconds} s)`;
  process.stdout.write(`${line}${r.note ? ` — ${r.note}` : ""}\n`);
}
const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 ? 1 : 0);
