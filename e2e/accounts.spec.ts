// Signing in, API tokens (shown once, listed, revoked), inviting someone by link, the tenant switcher and
// the audit log, in the browser.

import { cadenza } from "./cli";
import { expect, test } from "./fixtures";

const EMAIL = "ui-admin@example.com";
const PASSWORD = "ui admin password 1";

test("sign in, API tokens, invitations, tenant switcher and audit log", async ({
  page,
  browser,
  request,
}) => {
  await cadenza(["admin", "bootstrap", "--tenant", "main", "--email", EMAIL, "--password", PASSWORD]);
  await cadenza(["admin", "bootstrap", "--tenant", "second", "--email", EMAIL]);

  // A page that needs an account sends to sign-in, and back afterwards. A wrong password says only that.
  await page.goto("/api-tokens");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fapi-tokens/);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText("Wrong email or password.");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/api-tokens$/);
  await expect(page.getByRole("banner")).toContainText(`Signed in as ${EMAIL}`);

  // Create a token: shown once, usable, listed by its prefix only, revocable.
  await page.getByLabel("Name").fill("from-the-browser");
  await page.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByTestId("new-token");
  await expect(shown).toHaveText(/^cdz_[0-9A-Za-z]{43}$/);
  const token = (await shown.textContent()) ?? "";
  const me = await request.get("/api/v1/main/me", { headers: { authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).principal.name).toBe(EMAIL);
  const row = page.getByRole("row", { name: /from-the-browser/ });
  await expect(row).toContainText(`${token.slice(0, 12)}…`);
  await page.reload();
  await expect(page.getByText(token)).toHaveCount(0);
  await page.getByRole("button", { name: "Revoke from-the-browser" }).click();
  await expect(page.getByRole("row", { name: /from-the-browser/ })).toContainText("revoked");
  expect(
    (await request.get("/api/v1/main/me", { headers: { authorization: `Bearer ${token}` } })).status(),
  ).toBe(401);

  // Invite someone as Viewer by link; they create their account from it and land in the tenant.
  await page.goto("/team");
  await expect(page.getByRole("table", { name: "Members" })).toContainText(EMAIL);
  await page.getByRole("region", { name: "Invitations" }).getByLabel("Role").selectOption("Viewer");
  await page.getByRole("button", { name: "Create invitation link" }).click();
  const link = (await page.getByTestId("invitation-link").textContent()) ?? "";
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{20,}$/);
  const invitee = await browser.newContext();
  const other = await invitee.newPage();
  await other.goto(link);
  await expect(other.getByRole("heading", { level: 1 })).toHaveText(/^Join /);
  const inviteeEmail = `invitee-${Date.now()}@example.com`;
  await other.getByLabel("Email").fill(inviteeEmail);
  await other.getByLabel("Password (at least 10 characters)").fill("invitee password 1");
  await other.getByRole("button", { name: "Create account" }).click();
  // Sign-up signs nobody in (its answer must not tell whether the email had an account): sign in next.
  await expect(other).toHaveURL(/\/sign-in\?signedUp=1/);
  await expect(other.getByRole("status")).toContainText("Sign-up done");
  await other.getByLabel("Email").fill(inviteeEmail);
  await other.getByLabel("Password").fill("invitee password 1");
  await other.getByRole("button", { name: "Sign in" }).click();
  // They land on the dashboard, which says what to do first.
  await expect(other).toHaveURL(/:\d+\/$/);
  await expect(other.getByRole("banner")).toContainText("Signed in as invitee-");
  await expect(other.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  // A Viewer cannot see the team: the page says why.
  await other.goto("/team");
  await expect(other.getByRole("alert").filter({ hasText: "lack USER:READ" }).first()).toBeVisible();
  await invitee.close();
  await page.reload();
  await expect(page.getByRole("table", { name: "Members" })).toContainText("invitee-");

  // The tenant switcher: tokens belong to a tenant, so the second one has none of main's.
  await page.goto("/api-tokens");
  await page.getByLabel("Tenant", { exact: true }).selectOption("second");
  await expect(page.getByLabel("Tenant", { exact: true })).toHaveValue("second");
  await expect(page.getByText("No tokens yet")).toBeVisible();
  await page.getByLabel("Tenant", { exact: true }).selectOption("main");
  await expect(page.getByRole("row", { name: /from-the-browser/ })).toBeVisible();

  // The audit log has what happened.
  await page.goto("/audit-log");
  const log = page.getByRole("table", { name: "Audit log" });
  await expect(log).toContainText("APITOKEN");
  await expect(log).toContainText("INVITATION");
  await page.getByLabel("Resource type").selectOption("APITOKEN");
  await expect(log).not.toContainText("INVITATION");
});
