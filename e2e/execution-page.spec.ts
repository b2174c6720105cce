// The execution page as a new user lives on it: a flow with a Parallel, a Pause asking for a reason and a
// task that fails after its retries, deployed through the REST API with a token and run from its page
// (Ctrl/Cmd-E); the topology and the Gantt fill live; the failing task's error under Logs filtered to
// ERROR; an expression evaluated under Outputs; the Pause resumed from its form; the failed execution
// restarted and its new attempt seen. A Viewer sees every tab with no action enabled; another tenant's
// execution is a 404. The time a state change takes to reach the page is printed (not asserted).
// Screenshots of each tab go to test-results/e2e/execution-*.png.
import { adminWithToken, cadenza } from "./cli";
import { deployFlow, expect, joinByInvitation, refuseOffsite, test } from "./fixtures";

const EMAIL = "execpage@example.com";
const PASSWORD = "execpage password 1";

const FLOW = `id: journey
namespace: e2e.execpage
tasks:
  - id: fan
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: left
        type: io.kestra.plugin.core.log.Log
        message: left branch
      - id: right
        type: io.kestra.plugin.scripts.shell.Commands
        commands:
          - sleep 1
          - echo right branch
  - id: approve
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: reason
        type: STRING
        description: Why it may go on
  - id: flaky
    type: io.kestra.plugin.scripts.shell.Commands
    retry:
      type: constant
      interval: PT0.1S
      maxAttempts: 2
    commands:
      - echo "trying for {{ outputs.approve.onResume.reason }}"
      - exit 1
`;

const TABS = ["Overview", "Topology", "Gantt", "Logs", "Outputs", "Metrics"];

test("run, watch live, read the error, evaluate, resume, restart; a Viewer reads only; another tenant 404s", async ({
  page,
  request,
  browser,
  offsite,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const token = await adminWithToken("main", EMAIL, PASSWORD);
  const auth = { authorization: `Bearer ${token}` };
  await deployFlow(request, token, FLOW);

  await page.goto("/flows/e2e.execpage/journey");
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/flows\/e2e\.execpage\/journey$/);
  const launch = page.getByRole("dialog", { name: "Execute journey" });
  // Until the page has hydrated the shortcut has no listener yet: press again until the dialog opens.
  await expect(async () => {
    await page.keyboard.press("ControlOrMeta+E");
    await expect(launch).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await launch.getByRole("button", { name: "Execute" }).click();
  await expect(page).toHaveURL(/\/executions\/[0-9A-Za-z-]+$/, { timeout: 15_000 });
  const executionId = new URL(page.url()).pathname.split("/")[2] as string;
  const tabs = page.getByRole("navigation", { name: "Execution tabs" });

  // Topology, live: the Parallel's branches coloured by their state, the Pause reaches PAUSED.
  await tabs.getByRole("link", { name: "Topology" }).click();
  await expect(page).toHaveURL(new RegExp(`/executions/${executionId}/topology$`));
  const topology = page.getByTestId("execution-topology");
  await expect(topology.locator('[data-task-id="left"][data-state="SUCCESS"]')).toBeVisible({
    timeout: 30_000,
  });
  await expect(topology.locator('[data-task-id="approve"][data-state="PAUSED"]')).toBeVisible({
    timeout: 30_000,
  });
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toContainText("PAUSED");
  await page.screenshot({ path: "test-results/e2e/execution-topology.png", fullPage: true });

  // Gantt, live: one row per task run, nested (left and right under fan).
  await tabs.getByRole("link", { name: "Gantt" }).click();
  const gantt = page.getByTestId("gantt");
  for (const task of ["fan", "left", "right", "approve"])
    await expect(gantt.locator(`[data-task="${task}"]`).first()).toBeAttached();
  await page.screenshot({ path: "test-results/e2e/execution-gantt-paused.png", fullPage: true });

  // Resume from the Pause's onResume form, measuring how long PAUSED → RUNNING/FAILED takes to show.
  await page.getByRole("button", { name: "Resume" }).click();
  const form = page.getByRole("dialog", { name: "Resume the execution" });
  await form.getByLabel("reason").fill("the tests pass");
  const resumedAt = Date.now();
  await form.getByRole("button", { name: "Resume" }).click();
  await expect(heading).not.toContainText("PAUSED", { timeout: 15_000 });
  console.log(`state change (resume) reached the page in ${Date.now() - resumedAt} ms`);
  await expect(heading).toContainText("FAILED", { timeout: 30_000 });
  await expect(gantt.locator('[data-task="flaky"] [data-attempt="2"]')).toBeAttached();
  await page.screenshot({ path: "test-results/e2e/execution-gantt.png", fullPage: true });

  // Logs filtered to ERROR: the failing task's error.
  await tabs.getByRole("link", { name: /^Logs/ }).click();
  await page.getByLabel("Minimum level").selectOption("ERROR");
  const log = page.getByRole("log", { name: "Execution logs" });
  await expect(log).toContainText("exit code 1");
  await expect(log.locator("[data-level]:not([data-level='ERROR'])")).toHaveCount(0);
  await expect(page.getByText(/\d+ of \d+ lines/)).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/execution-logs.png", fullPage: true });

  // Outputs: the Pause's onResume output, and an expression evaluated in this execution.
  await tabs.getByRole("link", { name: "Outputs" }).click();
  await expect(page.getByText("the tests pass").first()).toBeVisible();
  await page
    .getByRole("textbox", { name: "Expression" })
    .fill("{{ outputs.approve.onResume.reason | upper }}");
  await page.getByRole("button", { name: "Evaluate" }).click();
  await expect(page.getByTestId("eval-result")).toHaveText("THE TESTS PASS");
  await page.screenshot({ path: "test-results/e2e/execution-outputs.png", fullPage: true });

  await tabs.getByRole("link", { name: "Metrics" }).click();
  await page.screenshot({ path: "test-results/e2e/execution-metrics.png", fullPage: true });

  // Overview: state history, and Restart: the failed task gets a new attempt.
  await tabs.getByRole("link", { name: "Overview" }).click();
  await expect(page.getByRole("list", { name: "State history" })).toContainText("PAUSED");
  await page.screenshot({ path: "test-results/e2e/execution-overview.png", fullPage: true });
  const restartedAt = Date.now();
  await page.getByRole("button", { name: "Restart" }).click();
  await expect(heading).not.toContainText("FAILED", { timeout: 15_000 });
  console.log(`state change (restart) reached the page in ${Date.now() - restartedAt} ms`);
  await expect(heading).toContainText("FAILED", { timeout: 30_000 });
  await expect(page.locator('tr[data-task="flaky"]')).toContainText("#3 failed", { timeout: 15_000 });

  // A deep link opens its tab.
  await page.goto(`/executions/${executionId}/logs`);
  await expect(tabs.getByRole("link", { name: /^Logs/ })).toHaveAttribute("aria-current", "page");

  // A Viewer: every tab shows, no action is enabled, a disabled one names the permission it needs.
  const invited = await request.post("/api/v1/main/invitations", { headers: auth, data: { role: "Viewer" } });
  expect(invited.status()).toBe(201);
  const viewerContext = await browser.newContext();
  await refuseOffsite(viewerContext, baseURL, offsite);
  const viewer = await viewerContext.newPage();
  await joinByInvitation(
    viewer,
    (await invited.json()).path,
    `viewer-${Date.now()}@example.com`,
    "viewer password 1",
  );
  await viewer.goto(`/executions/${executionId}`);
  await expect(viewer.getByRole("heading", { level: 1 })).toContainText("FAILED");
  for (const name of ["Restart", "Replay", "Run again"])
    await expect(viewer.getByRole("button", { name })).toBeDisabled();
  await expect(viewer.locator("[title='needs EXECUTION:UPDATE on e2e.execpage']").first()).toBeAttached();
  await expect(viewer.getByLabel("Add a label (key:value)")).toBeDisabled();
  for (const tab of TABS) {
    await viewer.getByRole("navigation", { name: "Execution tabs" }).getByRole("link", { name: tab }).click();
    await expect(viewer.getByRole("region", { name: tab, exact: true })).toBeVisible();
  }
  await viewerContext.close();
  expect(offsite, "requests to other hosts").toEqual([]);

  // Another tenant's execution: 404.
  await cadenza(["admin", "bootstrap", "--tenant", "e2e-other-page", "--email", EMAIL]);
  const otherToken = await adminWithToken("e2e-other-page", "other-page@example.com", "other password 1");
  const otherAuth = { authorization: `Bearer ${otherToken}` };
  expect(
    (
      await request.post("/api/v1/e2e-other-page/flows", {
        headers: { ...otherAuth, "content-type": "application/x-yaml" },
        data: "id: other\nnamespace: e2e.other\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: other\n",
      })
    ).status(),
  ).toBe(200);
  const foreign = (await (
    await request.post("/api/v1/e2e-other-page/executions/e2e.other/other?wait=true", { headers: otherAuth })
  ).json()) as { id: string };
  const response = await page.goto(`/executions/${foreign.id}/overview`);
  expect(response?.status()).toBe(404);
  await expect(page.getByText(foreign.id)).toHaveCount(0);

  // Leave the tenant's flows as they were for the journeys that start from an empty list.
  expect(
    (await request.delete("/api/v1/main/flows/e2e.execpage/journey", { headers: auth })).status(),
  ).toBeLessThan(300);
});
