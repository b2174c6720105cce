// The blueprint gallery in the browser: sign in, search, filter by tag (a deep link), open a blueprint, see
// its description, topology and source, and "Use" it, which opens the flow editor's URL with the blueprint
// and the chosen namespace. The page must fetch nothing from outside: every non-local request fails the test.

import { cadenza } from "./cli";
import { expect, test } from "./fixtures";

const EMAIL = "blueprints-admin@example.com";
const PASSWORD = "blueprints password 1";

test("find a blueprint, read it, see its topology and source, and use it", async ({ page }) => {
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
