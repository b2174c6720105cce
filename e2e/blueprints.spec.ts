// The blueprint gallery in the browser: sign in, search, filter by tag (a deep link), open a blueprint, see
// its description, topology and source, and "Use" it, which opens the flow editor's URL with the blueprint
// and the chosen namespace. The page must fetch nothing from outside: every non-local request fails the test.

import { cadenza } from "./cli";
import { expect, test } from "./fixtures";

const EMAIL = "blueprints-admin@example.com";
const PASSWORD = "blueprints password 1";

test("find a blueprint, read it, see its topology and source, and use it", async ({ page }) => {
  // Sign-in, the editor, a save, a run to its Pause and its resume: more than the default 30 s on a busy
  // machine (two workers took it past 30 s while every step was within its own wait).
  test.setTimeout(120_000);
  await cadenza(["admin", "bootstrap", "--tenant", "main", "--email", EMAIL, "--password", PASSWORD]);
  await page.goto("/blueprints");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fblueprints/);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/blueprints$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Blueprints");

  // The gallery: cards of Cadenza's blueprints.
  const cards = page.getByRole("list", { name: "Blueprints", exact: true }).getByRole("listitem");
  await expect(cards.first()).toBeVisible();
  expect(await cards.count()).toBeGreaterThanOrEqual(40);

  // A tag filter is a link: the URL carries it, and a reload keeps it.
  await page
    .getByRole("group", { name: "Filter by tag" })
    .getByRole("button", { name: /^Errors & retries/ })
    .click();
  await expect(page).toHaveURL(/tags=Errors/);
  await page.reload();
  await expect(page.getByRole("button", { name: /^Errors & retries/ })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await expect(cards.first()).toBeVisible();
  expect(await cards.count()).toBeLessThan(40);
  for (const card of await cards.all()) await expect(card).toContainText("Errors & retries");
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).not.toHaveURL(/tags=/);

  // Search "approval".
  await page.getByRole("searchbox", { name: "Search blueprints" }).fill("approval");
  await expect(page).toHaveURL(/q=approval/);
  const approval = page.getByRole("link", { name: /Human approval with Pause/ });
  await expect(approval).toBeVisible();
  await approval.click();

  // The detail page: description (Markdown), topology, source.
  await expect(page).toHaveURL(/\/blueprints\/community\/human-approval$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Human approval with Pause and a resume form",
  );
  const description = page.getByRole("region", { name: "Description" });
  await expect(description.locator("code", { hasText: "onResume" }).first()).toBeVisible();
  const topology = page.getByRole("figure", { name: "Topology of human_approval" });
  await expect(topology).toBeVisible();
  for (const task of ["plan", "wait_for_approval", "deploy", "rejected"])
    await expect(topology.getByText(task, { exact: true })).toBeVisible();
  const source = page.getByRole("region", { name: "Source" });
  await expect(source).toContainText("type: io.kestra.plugin.core.flow.Pause");
  await expect(source.getByRole("button", { name: "Copy" })).toBeVisible();

  // Use: choose the namespace, then the editor's URL with the blueprint and the namespace.
  await page.getByRole("button", { name: "Use this blueprint" }).click();
  const dialog = page.getByRole("dialog", { name: "Use this blueprint" });
  await expect(dialog.getByLabel("Namespace")).toHaveValue("company.team");
  await dialog.getByLabel("Namespace").fill("Not Valid");
  await expect(dialog.getByRole("button", { name: "Open in the editor" })).toBeDisabled();
  await dialog.getByLabel("Namespace").fill("acme.ops");
  await dialog.getByRole("button", { name: "Open in the editor" }).click();
  await expect(page).toHaveURL(/\/flows\/new\?/);
  const opened = new URL(page.url());
  expect(opened.searchParams.get("blueprint")).toBe("community/human-approval");
  expect(opened.searchParams.get("namespace")).toBe("acme.ops");

  // A retry starts where a failed attempt may have saved the flow already: the save below creates it.
  await page.request.delete("/api/v1/main/flows/acme.ops/human_approval");

  // The editor holds the blueprint's YAML in that namespace: save it with Ctrl/Cmd-S.
  await expect(page.locator(".monaco-editor .view-lines")).toContainText("wait_for_approval", {
    timeout: 30_000,
  });
  await page.locator(".monaco-editor .view-lines").click();
  await page.keyboard.press("ControlOrMeta+S");
  await expect(page).toHaveURL(/\/flows\/acme\.ops\/human_approval\/edit$/, { timeout: 15_000 });

  // Execute it from the flow's page (Ctrl/Cmd-E), then resume its Pause from the form on the execution page.
  await page.goto("/flows/acme.ops/human_approval");
  const launch = page.getByRole("dialog", { name: "Execute human_approval" });
  // Until the page has hydrated the shortcut has no listener yet: press again until the dialog opens.
  await expect(async () => {
    await page.keyboard.press("ControlOrMeta+E");
    await expect(launch).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await launch.getByRole("button", { name: "Execute" }).click();
  await expect(page).toHaveURL(/\/executions\/[0-9A-Za-z-]+$/, { timeout: 15_000 });
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toContainText("PAUSED", { timeout: 30_000 });
  await page.getByRole("button", { name: "Resume" }).click();
  const form = page.getByRole("dialog", { name: "Resume the execution" });
  await expect(form.getByLabel("reason")).toHaveValue("Looks good");
  await form.getByLabel("reason").fill("Approved in the e2e journey");
  await form.getByRole("button", { name: "Resume" }).click();
  await expect(heading).toContainText("SUCCESS", { timeout: 30_000 });
  await expect(page.getByRole("log", { name: "Execution logs" })).toContainText(
    "Deploying 1.4.2: Approved in the e2e journey",
  );
  // Leave the tenant's flows as they were for the journeys that start from an empty list.
  const removed = await page.request.delete("/api/v1/main/flows/acme.ops/human_approval");
  expect(removed.status(), await removed.text()).toBeLessThan(300);
});

test("the tenant's tab explains how to add one, and an unknown blueprint says so", async ({ page }) => {
  await cadenza(["admin", "bootstrap", "--tenant", "main", "--email", EMAIL, "--password", PASSWORD]);
  await page.goto("/blueprints?tab=custom");
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/blueprints\?tab=custom$/);
  await expect(page.getByRole("tab", { name: "This tenant's blueprints" })).toHaveAttribute(
    "aria-selected",
    "true",
  );
  await expect(page.getByText("This tenant has no blueprints yet.")).toBeVisible();

  await page.goto("/blueprints/community/no-such-blueprint");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This blueprint does not exist.");
  await expect(page.getByRole("link", { name: "← All blueprints" })).toBeVisible();
});
