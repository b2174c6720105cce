// Operating an ended execution from its page: a failed task marked SUCCESS from the topology's task panel
// ("Change state", Kestra's change status) — the execution goes on and ends SUCCESS with the next task run —
// and a label removed in the Overview's editor. The dialog's screenshot goes to
// test-results/e2e/change-state-dialog.png.
// Then the execution-level actions: a QUEUED execution unqueued, a CREATED one (scheduled for later) forced
// to run, a KILLED one given the status SUCCESS (screenshot: test-results/e2e/change-status-dialog.png), and
// a Viewer's disabled buttons naming the permission they need.
import { adminWithToken } from "./cli";
import { deployFlow, expect, joinByInvitation, refuseOffsite, test } from "./fixtures";

const EMAIL = "changestate@example.com";
const PASSWORD = "changestate password 1";

const FLOW = `id: marked
namespace: e2e.changestate
tasks:
  - id: first
    type: io.kestra.plugin.core.log.Log
    message: first
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: boom
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: after the failure
`;

test("mark a failed task SUCCESS and the execution goes on; remove a label", async ({ page, request }) => {
  test.setTimeout(120_000);
  const token = await adminWithToken("main", EMAIL, PASSWORD);
  const auth = { authorization: `Bearer ${token}` };
  await deployFlow(request, token, FLOW);
  const started = await request.post(
    "/api/v1/main/executions/e2e.changestate/marked?wait=true&labels=team:data&labels=gone:soon",
    { headers: auth, data: {} },
  );
  expect(started.status(), await started.text()).toBe(200);
  const failed = (await started.json()) as { id: string; state: { current: string } };
  expect(failed.state.current).toBe("FAILED");

  await page.goto(`/executions/${failed.id}/topology`);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/executions/${failed.id}/topology$`));
  const topology = page.getByTestId("execution-topology");
  await topology.locator('[data-task-id="boom"][data-state="FAILED"]').click();
  const panel = page.getByRole("complementary", { name: "Task boom" });
  await expect(async () => {
    await panel.getByRole("button", { name: "Change state" }).click();
    await expect(page.getByRole("dialog", { name: "Change the task run's state" })).toBeVisible({
      timeout: 1_000,
    });
  }).toPass({ timeout: 15_000 });
  const dialog = page.getByRole("dialog", { name: "Change the task run's state" });
  await dialog.getByLabel("Mark as").selectOption("SUCCESS");
  await expect(dialog.getByText("the tasks that follow it run")).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/change-state-dialog.png" });
  await dialog.getByRole("button", { name: "Change state" }).click();
  await expect(dialog).toBeHidden();

  // Live: the execution ends SUCCESS (the task after boom sits right of the panel, off the topology's view:
  // its run is checked through the API below).
  await expect(page.getByRole("heading", { level: 1 })).toContainText("SUCCESS", { timeout: 20_000 });
  await expect(topology.locator('[data-task-id="boom"][data-state="SUCCESS"]')).toBeVisible();
  const done = (await (
    await request.get(`/api/v1/main/executions/${failed.id}`, { headers: auth })
  ).json()) as {
    state: { current: string; histories: { state: string }[] };
    taskRunList: { taskId: string; state: { current: string } }[];
  };
  expect(done.state.current).toBe("SUCCESS");
  expect(done.state.histories.map((h) => h.state)).toContain("RESTARTED");
  expect(done.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
    ["first", "SUCCESS"],
    ["boom", "SUCCESS"],
    ["after", "SUCCESS"],
  ]);

  // Overview: remove one label; it stays removed after a reload.
  await page
    .getByRole("navigation", { name: "Execution tabs" })
    .getByRole("link", { name: "Overview" })
    .click();
  await expect(page.locator('[data-label="gone"]')).toBeVisible();
  await page.getByRole("button", { name: "Remove label gone" }).click();
  await expect(page.locator('[data-label="gone"]')).toHaveCount(0);
  await page.reload();
  await expect(page.locator('[data-label="team"]')).toBeVisible();
  await expect(page.locator('[data-label="gone"]')).toHaveCount(0);
  const labelled = (await (
    await request.get(`/api/v1/main/executions/${failed.id}`, { headers: auth })
  ).json()) as {
    labels: { key: string }[];
  };
  expect(labelled.labels.map((l) => l.key)).not.toContain("gone");
});

const QUEUE_EMAIL = "queued@example.com";
const QUEUE_PASSWORD = "queued password 1";

// One execution at a time, each waiting at a Pause: the second one queues behind the first.
const HELD = `id: held
namespace: e2e.queued
concurrency:
  limit: 1
  behavior: QUEUE
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
`;

test("unqueue a QUEUED execution, force a CREATED one to run, change an ended one's status; a Viewer cannot", async ({
  page,
  request,
  browser,
  offsite,
  baseURL,
}) => {
  test.setTimeout(150_000);
  const token = await adminWithToken("main", QUEUE_EMAIL, QUEUE_PASSWORD);
  const auth = { authorization: `Bearer ${token}` };
  await deployFlow(request, token, HELD);
  type Json = { id: string; state: { current: string } };
  const start = async (query = "") => {
    const response = await request.post(`/api/v1/main/executions/e2e.queued/held${query}`, { headers: auth });
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()) as Json;
  };
  const read = async (id: string) =>
    (await (await request.get(`/api/v1/main/executions/${id}`, { headers: auth })).json()) as Json;
  const reaches = (id: string, state: string) =>
    expect.poll(async () => (await read(id)).state.current, { timeout: 20_000 }).toBe(state);

  const first = await start();
  await reaches(first.id, "PAUSED");
  const queued = await start();
  await reaches(queued.id, "QUEUED");
  const later = new Date(Date.now() + 3_600_000).toISOString();
  const scheduled = await start(`?scheduleDate=${encodeURIComponent(later)}`);
  await reaches(scheduled.id, "CREATED");

  await page.goto(`/executions/${queued.id}`);
  await page.getByLabel("Email").fill(QUEUE_EMAIL);
  await page.getByLabel("Password").fill(QUEUE_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toContainText("QUEUED");
  await expect(page.getByRole("button", { name: "Force run" })).toBeEnabled();
  await page.getByRole("button", { name: "Unqueue" }).click();
  // Past the limit, it runs to its own Pause.
  await expect(heading).toContainText("PAUSED", { timeout: 20_000 });
  await expect(page.getByRole("button", { name: "Unqueue" })).toHaveCount(0);
  await reaches(queued.id, "PAUSED");

  await page.goto(`/executions/${scheduled.id}`);
  await expect(heading).toContainText("CREATED");
  await expect(page.getByRole("button", { name: "Unqueue" })).toHaveCount(0);
  await page.getByRole("button", { name: "Force run" }).click();
  await expect(heading).toContainText("PAUSED", { timeout: 20_000 });
  await reaches(scheduled.id, "PAUSED");

  // An ended execution: killed, then given the status SUCCESS; nothing runs again.
  expect((await request.delete(`/api/v1/main/executions/${first.id}/kill`, { headers: auth })).status()).toBe(
    200,
  );
  await reaches(first.id, "KILLED");
  await page.goto(`/executions/${first.id}`);
  await expect(heading).toContainText("KILLED");
  await page.getByRole("button", { name: "Change status" }).click();
  const dialog = page.getByRole("dialog", { name: "Change the execution's status" });
  await dialog.getByLabel("New status").selectOption("SUCCESS");
  await page.screenshot({ path: "test-results/e2e/change-status-dialog.png" });
  await dialog.getByRole("button", { name: "Change status" }).click();
  await expect(dialog).toBeHidden();
  await expect(heading).toContainText("SUCCESS", { timeout: 20_000 });
  const changed = (await read(first.id)) as Json & { taskRunList: { state: { current: string } }[] };
  expect(changed.state.current).toBe("SUCCESS");
  expect(changed.taskRunList.map((run) => run.state.current)).toEqual(["KILLED"]);

  // A Viewer sees the buttons disabled, each naming the permission it needs.
  const waiting = await start(`?scheduleDate=${encodeURIComponent(later)}`);
  await reaches(waiting.id, "CREATED");
  const invited = await request.post("/api/v1/main/invitations", { headers: auth, data: { role: "Viewer" } });
  expect(invited.status()).toBe(201);
  const viewerContext = await browser.newContext();
  await refuseOffsite(viewerContext, baseURL, offsite);
  const viewer = await viewerContext.newPage();
  await joinByInvitation(
    viewer,
    (await invited.json()).path,
    `queue-viewer-${Date.now()}@example.com`,
    "viewer password 1",
  );
  const needs = "needs EXECUTION:UPDATE on e2e.queued";
  await viewer.goto(`/executions/${waiting.id}`);
  await expect(viewer.getByRole("button", { name: "Force run" })).toBeDisabled();
  await expect(viewer.locator(`[title='${needs}']`).filter({ hasText: "Force run" })).toBeAttached();
  await viewer.goto(`/executions/${first.id}`);
  await expect(viewer.getByRole("button", { name: "Change status" })).toBeDisabled();
  await expect(viewer.locator(`[title='${needs}']`).filter({ hasText: "Change status" })).toBeAttached();
  await viewerContext.close();
  expect(offsite, "requests to other hosts").toEqual([]);

  for (const id of [queued.id, scheduled.id, waiting.id])
    await request.delete(`/api/v1/main/executions/${id}/kill`, { headers: auth });
  expect(
    (await request.delete("/api/v1/main/flows/e2e.queued/held", { headers: auth })).status(),
  ).toBeLessThan(300);
});
