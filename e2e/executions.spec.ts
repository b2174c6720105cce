// The executions list, the triggers page and the dashboard in the browser, against the real `cadenza start`:
// bulk-kill three running executions chosen by a label filter, backfill the last hour of a `* * * * *`
// schedule and watch the progress bar reach 60/60, and a Viewer who sees every page with no action enabled.
// Every request to anything but this server is refused, and attempting one fails the test.
import type { Page } from "@playwright/test";
import { adminWithToken } from "./cli";
import { expect, joinByInvitation, refuseOffsite, test } from "./fixtures";

const ADMIN = "exec-admin@example.com";
const PASSWORD = "exec admin password 1";

const SLEEPER = `id: sleeper
namespace: e2e.exec
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT30M
`;
const MINUTELY = `id: minutely
namespace: e2e.exec
tasks:
  - id: tick
    type: io.kestra.plugin.core.log.Log
    message: "tick {{ trigger.date }}"
triggers:
  - id: every_minute
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "* * * * *"
    disabled: true
`;

async function signIn(page: Page, email: string, password: string, to: string) {
  await page.goto(to);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Back where the deep link pointed, filters included.
  await expect
    .poll(() => decodeURIComponent(page.url()))
    .toMatch(new RegExp(`${to.replace(/[?]/g, "\\?")}$`));
}

/** `datetime-local` value in the browser's time zone. */
function localInput(date: Date, timeZoneOffsetMinutes: number): string {
  return new Date(date.getTime() - timeZoneOffsetMinutes * 60_000).toISOString().slice(0, 16);
}

test("bulk kill by label, a backfill to 60/60, and a Viewer with nothing enabled", async ({
  page,
  browser,
  request,
  offsite,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const token = await adminWithToken("main", ADMIN, PASSWORD);
  const auth = { authorization: `Bearer ${token}` };
  for (const flow of [SLEEPER, MINUTELY]) {
    const created = await request.post("/api/v1/main/flows", {
      headers: { ...auth, "content-type": "application/x-yaml" },
      data: flow,
    });
    expect(created.status(), await created.text()).toBe(200);
  }
  const start = async (labels: string) => {
    const response = await request.post(`/api/v1/main/executions/e2e.exec/sleeper?labels=${labels}`, {
      headers: auth,
      multipart: {},
    });
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()).id as string;
  };
  const doomed = [await start("batch:doomed"), await start("batch:doomed"), await start("batch:doomed")];
  const spared = await start("batch:spared");
  const stateOf = async (id: string) =>
    (await (await request.get(`/api/v1/main/executions/${id}`, { headers: auth })).json()).state.current;
  await expect
    .poll(async () => Promise.all([...doomed, spared].map(stateOf)))
    .toEqual(Array(4).fill("RUNNING"));

  // The list filtered by label (a deep link), three rows, all selected, killed.
  await signIn(page, ADMIN, PASSWORD, "/executions?labels=batch:doomed");
  const table = page.getByRole("table", { name: "Executions" });
  await expect(table.locator("tbody tr")).toHaveCount(3);
  await expect(table.locator("tbody tr[data-state=RUNNING]")).toHaveCount(3);
  await page.getByLabel("Select all on this page").check();
  await expect(page.getByTestId("selection")).toHaveText("3 selected");
  await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Kill" }).click();
  const dialog = page.getByRole("dialog", { name: "Kill executions" });
  await dialog.getByRole("button", { name: "Kill 3 executions" }).click();
  await expect(page.getByRole("status")).toHaveText("Killed 3 executions.");
  // Live: the rows turn KILLED without a reload.
  await expect(table.locator("tbody tr[data-state=KILLED]")).toHaveCount(3, { timeout: 15_000 });
  for (const id of doomed) expect(await stateOf(id)).toBe("KILLED");
  expect(await stateOf(spared)).toBe("RUNNING");
  await page.screenshot({ path: "test-results/e2e/executions-list.png", fullPage: true });

  // Backfill the last hour of a `* * * * *` schedule: 60 executions, the bar reaches 60/60.
  await page.goto("/triggers");
  const row = page.locator("tr[data-trigger='minutely.every_minute']");
  await row.getByRole("button", { name: "Backfill…" }).click();
  const offset = await page.evaluate(() => new Date().getTimezoneOffset());
  const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const backfill = page.getByRole("dialog", { name: "Backfill minutely.every_minute" });
  await backfill.getByLabel("Start").fill(localInput(new Date(end.getTime() - 3_600_000), offset));
  await backfill.getByLabel("End").fill(localInput(end, offset));
  await backfill.getByLabel("Labels (key:value, optional)").fill("backfill:e2e");
  await backfill.getByRole("button", { name: "Start backfill" }).click();
  await expect(row.getByTestId("backfill-progress")).toHaveText("60/60", { timeout: 60_000 });
  await expect(row.getByRole("progressbar", { name: "Backfill progress" })).toHaveAttribute(
    "aria-valuenow",
    "60",
  );
  await page.screenshot({ path: "test-results/e2e/triggers.png", fullPage: true });
  const backfilled = await request.get("/api/v1/main/executions/search?labels=backfill:e2e&size=100", {
    headers: auth,
  });
  expect((await backfilled.json()).total).toBe(60);

  await page.goto("/dashboard");
  await expect(page.getByRole("link", { name: "Executions" }).last()).toBeVisible();
  await expect(page.getByRole("region", { name: "Recent failures" })).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/dashboard.png", fullPage: true });

  // A Viewer: every page shows, no action is enabled, each disabled one says which permission it needs.
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

  await viewer.goto("/executions?labels=batch:spared");
  const viewerTable = viewer.getByRole("table", { name: "Executions" });
  await expect(viewerTable.locator("tbody tr")).toHaveCount(1);
  await viewer.getByLabel("Select all on this page").check();
  const toolbar = viewer.getByRole("toolbar", { name: "Bulk actions" });
  for (const name of ["Restart", "Replay", "Resume", "Kill", "Set labels", "Delete"])
    await expect(toolbar.getByRole("button", { name })).toBeDisabled();
  await expect(
    toolbar.locator("span[title*='EXECUTION:UPDATE on namespace e2e.exec']").first(),
  ).toBeAttached();

  await viewer.goto("/triggers");
  const viewerRow = viewer.locator("tr[data-trigger='minutely.every_minute']");
  await expect(viewerRow.getByRole("switch")).toBeDisabled();
  await expect(viewerRow.getByRole("button", { name: "Backfill…" })).toBeDisabled();
  await expect(viewerRow.getByTestId("backfill-progress")).toHaveText("60/60");
  await expect(viewerRow.locator("[title*='FLOW:UPDATE on namespace e2e.exec']")).toBeAttached();
  await expect(viewer.locator("main button:enabled, main [role=switch]:enabled")).toHaveCount(0);

  await viewer.goto("/dashboard");
  await expect(viewer.getByRole("region", { name: "Slowest flows" })).toBeVisible();
  await viewerContext.close();

  // Leave nothing running.
  await request.delete(`/api/v1/main/executions/${spared}/kill`, { headers: auth });
});
