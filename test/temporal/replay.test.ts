import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DefaultLogger, Runtime, Worker } from "@temporalio/worker";
import { expect, it } from "vitest";
import { workflowBundle } from "@/worker/temporal";
import { BASELINE, PATCHES } from "@/worker/temporal/workflows/patches";

/**
 * Determinism: every history recorded from a real Temporal server (test/temporal/histories, written by
 * `npm run temporal:record-histories`) replays against the workflow code as it is now. A change to the
 * workflow or to the executor it interprets that issues commands in another order (or others) fails
 * here, as it would fail on the executions running when it is deployed: guard it with `patched`, or,
 * when no execution can be running on the old code, re-record. Needs no server, so it runs everywhere.
 */
const dir = fileURLToPath(new URL("./histories/", import.meta.url));
// histories/ is the current recording; each folder in it an earlier one, kept so the code's branches for
// runs recorded before a patch (workflows/patches.ts) are proved to replay as they ran: before-patches/
// (before the first), before-task-logs/ (before `cadenza-task-logs-in-step`), before-loop-executions/ (the
// Loop cases before `cadenza-loop-executions`: iterations inline), before-working-directory-files/ (a
// WorkingDirectory with outputFiles, refused, and one with a cache, ignored, recorded on the code before
// `cadenza-working-directory-files`), before-foreach-item-tasks/ (the ForEachItem cases as one task run,
// before `cadenza-foreachitem-tasks`), before-baseline/ (every case, each patch asked for on its own, before
// `cadenza-baseline-1` stood for them all), before-concurrency-claim/ (a flow with a `concurrency` limit whose
// `runningCount` activity was given no limit: no patch, replay compares an activity's type and id, not its
// input).
const earlier = [
  "before-patches",
  "before-task-logs",
  "before-loop-executions",
  "before-working-directory-files",
  "before-foreach-item-tasks",
  "before-baseline",
  "before-concurrency-claim",
];
/** What each earlier recording must cover: a whole recording, or the cases its patch changed. */
const covers = (folder: string, patterns: string[]) =>
  folder === "before-loop-executions"
    ? ["cadenza-loop-"]
    : folder === "before-working-directory-files"
      ? ["working-directory-files", "working-directory-cache"]
      : folder === "before-foreach-item-tasks"
        ? ["for-each-item", "foreachitem"]
        : folder === "before-concurrency-claim"
          ? ["concurrency"]
          : patterns;
const files = [
  ...readdirSync(dir).filter((f) => f.endsWith(".json")),
  ...earlier.flatMap((folder) =>
    readdirSync(`${dir}/${folder}`)
      .filter((f) => f.endsWith(".json"))
      .map((f) => `${folder}/${f}`),
  ),
];

it("has recorded histories for every flowable pattern", () => {
  expect(files.length).toBeGreaterThan(100);
  const patterns = ["parallel", "dag", "each-parallel", "for-each-item", "subflow", "pause", "retry"];
  // The patches' new branches: a restarted subflow (cadenza-restart-subflows), a subflow's scheduleDate
  // (cadenza-subflow-schedule-date, cadenza-kill-starting-subflows).
  for (const pattern of [
    ...patterns,
    "continue-as-new",
    "restart-subflow-refused-run-2.child-1",
    "subflow-schedule-date-kill",
  ])
    expect(files.some((f) => !f.includes("/") && f.includes(pattern))).toBe(true);
  expect(files.some((f) => !f.includes("/") && f.includes("cadenza-loop-nested.child-1.child-1"))).toBe(true);
  for (const folder of earlier)
    for (const pattern of covers(folder, patterns))
      expect(files.some((f) => f.startsWith(`${folder}/`) && f.includes(pattern))).toBe(true);
});

/** The patch ids a history's markers record, in order. */
function patchMarkers(history: {
  events?: { markerRecordedEventAttributes?: MarkerAttributes }[];
}): string[] {
  return (history.events ?? []).flatMap(({ markerRecordedEventAttributes: marker }) => {
    const data =
      marker?.markerName === "core_patch" ? marker.details?.["patch-data"]?.payloads?.[0]?.data : undefined;
    return data ? [(JSON.parse(Buffer.from(data, "base64").toString("utf8")) as { id: string }).id] : [];
  });
}
type MarkerAttributes = {
  markerName?: string;
  details?: Record<string, { payloads?: { data?: string }[] }>;
};

it("has its current recording on the baseline patch, and the one before it without", () => {
  const markers = (file: string) => patchMarkers(JSON.parse(readFileSync(`${dir}/${file}`, "utf8")).history);
  const current = files.filter((f) => !f.includes("/"));
  // Every run of the current code asks for the baseline, first, and for none of the patches it stands for.
  for (const file of current) {
    const ids = markers(file);
    expect(ids[0], file).toBe(PATCHES.baseline);
    expect(
      ids.filter((id) => BASELINE.has(id)),
      file,
    ).toEqual([]);
  }
  const before = files.filter((f) => f.startsWith("before-baseline/"));
  for (const file of before) expect(markers(file), file).not.toContain(PATCHES.baseline);
});

it("replays every recorded history against the current workflow code", async () => {
  // The replay worker's lines on a non-determinism would be repeated by the failures below (a runtime
  // installed already, by another file in this process, keeps its logger).
  try {
    Runtime.install({ logger: new DefaultLogger("ERROR") });
  } catch {}
  const histories = files.map((file) => {
    const { workflowId, history } = JSON.parse(readFileSync(`${dir}/${file}`, "utf8"));
    return { workflowId: `${file}|${workflowId}`, history };
  });
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: await workflowBundle() },
    histories,
  )) {
    replayed++;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(files.length);
}, 400_000);
