import { expect, test } from "./fixtures";

test("the home page shows Cadenza, its navigation and a healthy status", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveTitle("Cadenza");
  await expect(page.getByRole("link", { name: "Cadenza home" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome to Cadenza");

  const nav = page.getByRole("navigation", { name: "Main" });
  for (const name of [
    "Dashboard",
    "Flows",
    "Executions",
    "Triggers & backfills",
    "Namespaces",
    "Blueprints",
    "Team",
    "API tokens",
    "Service accounts",
    "Audit log",
  ]) {
    await expect(nav.getByRole("link", { name, exact: true })).toBeVisible();
  }

  const status = page.getByRole("region", { name: "System status" });
  await expect(status).toContainText("connected");
  await expect(status).toContainText(/Engine\s*running/);
});

test("navigation asks a visitor to sign in, then returns to the page", async ({ page }) => {
  await page.goto("/");
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Flows", exact: true })
    .click();
  await expect(page).toHaveURL(/\/sign-in\?.*flows/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});

test("/api/health is green", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok", db: "ok", engine: "running" });
});
