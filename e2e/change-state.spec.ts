// Operating an ended execution from its page: a failed task marked SUCCESS from the topology's task panel
// ("Change state", Kestra's change status) — the execution goes on and ends SUCCESS with the next task run —
// and a label removed in the Overview's editor. The dialog's screenshot goes to
// test-results/e2e/change-state-dialog.png.
import { adminWithToken } from "./cli";
import { expect, test } from "./fixtures";

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
  const deployed = await request.post("/api/v1/main/flows", {
    headers: { ...auth, "content-type": "application/x-yaml" },
    data: FLOW,
  });
  expect(deployed.status(), await deployed.text()).toBe(200);
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
