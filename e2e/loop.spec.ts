// Kestra 2.0's Loop as a user meets it: a flow whose Loop runs three iterations, each an execution of kind
// LOOP. The loop's page lists its iterations and its topology colours the tasks inside the loop by their
// iterations' states (their runs live in the iterations' executions, not the loop's); the executions list
// leaves iterations out until asked for with Kind = LOOP, and an iteration's page says which one it is.
// Screenshots go to test-results/e2e/loop-*.png.
import { adminWithToken } from "./cli";
import { deployFlow, expect, signIn, test } from "./fixtures";

const EMAIL = "loop@example.com";
const PASSWORD = "loop password 1";
const FLOW = `id: regions
namespace: e2e.loop
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.Loop
    values: ["north", "south", "east"]
    concurrencyLimit: 2
    tasks:
      - id: work
        type: io.kestra.plugin.core.log.Log
        message: "working on {{ item.value }} ({{ item.index }})"
      - id: out
        type: io.kestra.plugin.core.debug.Return
        format: "{{ item.value | upper }}"
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: "done {{ outputs.each.iterationCount }}"
`;

test("a Loop's iterations: listed on its page, coloured in its topology, apart in the executions list", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const token = await adminWithToken("main", EMAIL, PASSWORD);
  const auth = { authorization: `Bearer ${token}` };
  await deployFlow(request, token, FLOW);
  const started = await request.post("/api/v1/main/executions/e2e.loop/regions?wait=true", { headers: auth });
  expect(started.status(), await started.text()).toBe(200);
  const execution = (await started.json()) as { id: string; state: { current: string } };
  expect(execution.state.current).toBe("SUCCESS");

  await signIn(page, EMAIL, PASSWORD);
  await page.goto(`/executions/${execution.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("SUCCESS");
  await expect(page.getByText("Loop iterations")).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/loop-overview.png", fullPage: true });

  // Opened on the tab directly: the graph the server sent has no runs, the one read on mount does.
  await page.goto(`/executions/${execution.id}/topology`);
  const topology = page.getByTestId("execution-topology");
  for (const task of ["work", "out", "after"])
    await expect(topology.locator(`[data-task-id="${task}"][data-state="SUCCESS"]`)).toBeVisible({
      timeout: 15_000,
    });
  await page.screenshot({ path: "test-results/e2e/loop-topology.png", fullPage: true });

  const rows = page.locator("tbody tr");
  await page.goto("/executions?namespace=e2e.loop");
  await expect(rows).toHaveCount(1, { timeout: 15_000 });
  await page.goto("/executions?namespace=e2e.loop&kind=LOOP");
  await expect(rows).toHaveCount(3, { timeout: 15_000 });
  await page.screenshot({ path: "test-results/e2e/loop-iterations.png", fullPage: true });
  await rows.first().getByRole("link").first().click();
  await expect(page).toHaveURL(/\/executions\/[0-9A-Za-z-]+$/);
  await expect(page.getByText(/iteration/i).first()).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/loop-iteration.png", fullPage: true });
});
